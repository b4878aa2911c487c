package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the client of a suspended request closed its connection. The Servlet API has no such event
 * (jakartaee/servlet issue 44): a container reports a closed connection to {@code AsyncListener.onError} only when
 * the request reads or writes, which a waiting {@code ?WAIT=} does not. So this is container-specific:
 * {@link #forContainer()} returns the Jetty 12 (ee10) detector when the adapter runs inside embedded Jetty, else one
 * that notices nothing (the wait then ends at its own timeout at the latest). Implementations are thread-safe.
 */
public interface ClientGone {

    /** A watch on one request; {@link #close()} stops it and must be called before the request is completed. */
    interface Watch extends AutoCloseable {
        /** Stops watching. Idempotent, thread-safe, never throws. */
        @Override
        void close();
    }

    /** A watch that watches nothing. */
    Watch NONE = () -> { };

    /**
     * Starts watching the connection of {@code request} (suspended with {@code startAsync}, its body fully read).
     * {@code onReadable} runs at most once, on a container thread, when the client closed or reset the connection
     * or sent more bytes (a pipelined request), none of which is consumed: the caller should end the wait now.
     *
     * @return the watch, or {@link #NONE} if this connection cannot be watched (HTTP/2, another container)
     */
    Watch watch(HttpServletRequest request, Runnable onReadable);

    /** The detector for the container this class was loaded in. */
    static ClientGone forContainer() {
        Logger log = LoggerFactory.getLogger(ClientGone.class);
        try {
            ClassLoader cl = ClientGone.class.getClassLoader();
            Class.forName("org.eclipse.jetty.ee10.servlet.ServletContextRequest", false, cl);
            Class.forName("org.eclipse.jetty.io.AbstractEndPoint", false, cl);
            ClientGone jetty = (ClientGone) Class.forName("org.uwskit.servlet.internal.JettyClientGone", true, cl)
                    .getDeclaredConstructor().newInstance();
            log.debug("client disconnects during WAIT are detected through Jetty's end points");
            return jetty;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log.debug("no container-specific detection of client disconnects: {}", e.toString());
            return (request, onReadable) -> NONE;
        }
    }
}
