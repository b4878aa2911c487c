package org.uwskit.examples.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The container's own errors (a method no servlet takes, 405 from {@code HttpServlet}, a request Jetty cannot parse)
 * as one {@code text/plain} line, {@code STATUS REASON: message}, whatever the client accepts: never an empty body,
 * never an HTML page, never a stack trace. {@link #servlet()} serves the servlet context, {@link #server()} the
 * server outside it. Stateless.
 */
public final class TextErrorHandler {
    private TextErrorHandler() {
    }

    /** For {@code ServletContextHandler.setErrorHandler}. */
    public static ErrorHandler servlet() {
        return new ErrorHandler() {
            @Override
            public boolean errorPageForMethod(String method) {
                return true; // Jetty writes bodies for GET, POST and HEAD only; a DELETE or PUT deserves one too
            }

            @Override
            protected void generateAcceptableResponse(ServletContextRequest base, HttpServletRequest req,
                                                      HttpServletResponse resp, int code, String message)
                    throws IOException {
                byte[] body = text(code, message);
                resp.setContentType("text/plain;charset=UTF-8");
                resp.setHeader("X-Content-Type-Options", "nosniff");
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            }
        };
    }

    /** For {@code Server.setErrorHandler}: errors before a context is chosen (bad requests, unknown methods). */
    public static org.eclipse.jetty.server.handler.ErrorHandler server() {
        return new org.eclipse.jetty.server.handler.ErrorHandler() {
            @Override
            public boolean errorPageForMethod(String method) {
                return true;
            }

            @Override
            protected void generateResponse(Request request, Response response, int code, String message,
                                            Throwable cause, Callback callback) {
                byte[] body = text(code, message);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=UTF-8");
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
            }

            @Override
            public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
                fields.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=UTF-8");
                return ByteBuffer.wrap(text(status, reason));
            }
        };
    }

    static byte[] text(int code, String message) {
        String reason = HttpStatus.getMessage(code);
        String m = message == null || message.isBlank() || message.equals(reason) ? "" : ": " + message;
        // a message from the container may name its classes; keep the first line, without exception names
        if (m.contains("\n")) {
            m = m.substring(0, m.indexOf('\n'));
        }
        if (m.matches(".*\\b(java|jakarta|org\\.eclipse)\\.[a-z.]+[A-Z]\\w*(Exception|Error).*")) {
            m = "";
        }
        return (code + " " + reason + m + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
