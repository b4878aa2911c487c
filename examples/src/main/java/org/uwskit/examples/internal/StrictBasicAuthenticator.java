package org.uwskit.examples.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's HTTP Basic authentication, except that malformed credentials ({@code Basic !!!}, {@code Basic =},
 * {@code Basic a b}, base64 of a text without {@code :}) get 401 with the challenge and a {@code text/plain} message
 * saying what is wrong, instead of Jetty's 500 naming a Java exception (and a stack trace in the log). Well-formed
 * credentials, right or wrong, and other schemes are Jetty's to judge. Thread-safe.
 */
public final class StrictBasicAuthenticator extends BasicAuthenticator {
    private final String realm;

    /** @param realm the realm named in the challenge */
    public StrictBasicAuthenticator(String realm) {
        this.realm = realm;
    }

    @Override
    public AuthenticationState validateRequest(Request req, Response res, Callback callback) throws ServerAuthException {
        String problem = problem(req.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (problem == null) {
            return super.validateRequest(req, res, callback);
        }
        res.setStatus(401);
        res.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=UTF-8");
        res.getHeaders().put("X-Content-Type-Options", "nosniff");
        byte[] body = (problem + "\n").getBytes(StandardCharsets.UTF_8);
        res.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        res.write(true, ByteBuffer.wrap(body), callback);
        return AuthenticationState.SEND_FAILURE;
    }

    /** What is wrong with a Basic {@code Authorization} header, or null if it is well-formed or not Basic. */
    static String problem(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        int sp = h.indexOf(' ');
        String scheme = sp < 0 ? h : h.substring(0, sp);
        if (!scheme.equalsIgnoreCase("basic")) {
            return null;
        }
        String credentials = sp < 0 ? "" : h.substring(sp + 1).trim();
        String expected = "; expected Authorization: Basic base64(name:password)";
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException e) {
            return "malformed Basic credentials: not base64" + expected;
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        if (credentials.isEmpty() || text.indexOf(':') < 1) {
            return "malformed Basic credentials: no name:password" + expected;
        }
        return null;
    }
}
