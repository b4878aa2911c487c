package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClientGone} for embedded Jetty 12 (ee10), loaded only when Jetty is on the class path. While an HTTP/1.1
 * request is suspended, Jetty does not read its connection, so a FIN or RST goes unnoticed. This registers a fill
 * interest on the request's end point (possible only when nobody else holds one: not on HTTP/2, whose connection
 * always reads): the selector then reports the connection readable on close, reset or a pipelined request, and
 * the callback tells the caller without reading a byte. {@link Watch#close()} withdraws the interest before the
 * request completes, so that Jetty can register its own to read the next request.
 */
final class JettyClientGone implements ClientGone {
    private static final Logger LOG = LoggerFactory.getLogger(JettyClientGone.class);

    @Override
    public Watch watch(HttpServletRequest request, Runnable onReadable) {
        ServletContextRequest core;
        try {
            core = ServletContextRequest.getServletContextRequest(request);
        } catch (RuntimeException e) {
            return NONE;
        }
        if (core == null) {
            return NONE;
        }
        Connection connection = core.getConnectionMetaData().getConnection();
        EndPoint endPoint = connection == null ? null : connection.getEndPoint();
        if (!(endPoint instanceof AbstractEndPoint ep) || !endPoint.isOpen()) {
            return NONE;
        }
        Interest interest = new Interest(ep, onReadable);
        return interest.register() ? interest : NONE;
    }

    private static final class Interest implements Callback, Watch {
        private final AbstractEndPoint endPoint;
        private final Runnable onReadable;
        private final AtomicBoolean done = new AtomicBoolean();

        Interest(AbstractEndPoint endPoint, Runnable onReadable) {
            this.endPoint = endPoint;
            this.onReadable = onReadable;
        }

        boolean register() {
            return endPoint.tryFillInterested(this);
        }

        @Override
        public void succeeded() {
            if (done.compareAndSet(false, true)) {
                LOG.debug("connection {} readable while waiting: ending the wait", endPoint);
                onReadable.run();
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (done.get()) {
                return;
            }
            if (cause instanceof TimeoutException && endPoint.isOpen()) {
                // the connector's idle timeout: a waiting request stays, so keep watching
                if (endPoint.tryFillInterested(this)) {
                    return;
                }
            }
            if (done.compareAndSet(false, true)) {
                LOG.debug("connection {} failed while waiting: {}", endPoint, cause.toString());
                onReadable.run();
            }
        }

        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                try {
                    endPoint.getFillInterest().onFail(new CancellationException("the wait is over"));
                } catch (RuntimeException e) {
                    LOG.debug("withdrawing the fill interest of {} failed: {}", endPoint, e.toString());
                }
            }
        }
    }
}
