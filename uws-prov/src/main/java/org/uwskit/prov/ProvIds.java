package org.uwskit.prov;

import java.nio.charset.StandardCharsets;

/**
 * Rules for identifiers. Identifiers are absolute URIs; every writer turns them into {@code prefix:local} pairs
 * whose local part is an XML NCName (PROV-XML's {@code prov:id} is an {@code xs:QName}), so an identifier is
 * <em>representable</em> only if it ends with an NCName: {@code https://x/files/m1.fits} is,
 * {@code https://x/get?id=12} and {@code https://x/dir/} are not. Only ASCII NCNames are used
 * ({@code [A-Za-z_][A-Za-z0-9._-]*}). Stateless and thread-safe.
 */
public final class ProvIds {
    private ProvIds() {
    }

    /** Whether {@code s} is an ASCII NCName. */
    public static boolean isNcName(String s) {
        if (s == null || s.isEmpty() || !isNameStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isNameStart(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    static boolean isNameChar(char c) {
        return isNameStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-';
    }

    /**
     * The index where the longest NCName suffix of {@code uri} starts, or -1 if the URI does not end with an NCName.
     * The part before it is the namespace a writer declares when no declared namespace fits.
     */
    public static int localPartStart(String uri) {
        int i = uri.length();
        while (i > 0 && isNameChar(uri.charAt(i - 1))) {
            i--;
        }
        while (i < uri.length() && !isNameStart(uri.charAt(i))) {
            i++;
        }
        return i < uri.length() && i > 0 ? i : -1;
    }

    /** Whether {@code uri} is an absolute URI that every writer can write as a qualified name. */
    public static boolean isRepresentable(String uri) {
        if (uri == null || uri.isEmpty() || !isNameStart(uri.charAt(0)) || uri.charAt(0) == '_') {
            return false;
        }
        int colon = -1;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{'
                    || c == '|' || c == '}' || c > '~') {
                return false;
            }
            if (c == ':' && colon < 0) {
                colon = i;
            } else if (colon < 0 && !(isNameChar(c) && c != '_' || c == '+')) {
                return false;
            }
        }
        return colon > 0 && localPartStart(uri) > colon;
    }

    /**
     * @throws IllegalArgumentException naming {@code what} if {@code uri} is not representable
     */
    public static String requireRepresentable(String uri, String what) {
        if (!isRepresentable(uri)) {
            throw new IllegalArgumentException(what + " '" + uri + "' is not an absolute URI ending with an XML name"
                    + " (PROV qualified names need an NCName local part)");
        }
        return uri;
    }

    /**
     * Encodes any text (a result id, a parameter name, an owner id) as an NCName, injectively: an NCName that does
     * not start with {@code _} is kept as it is; anything else becomes {@code _} followed by the lower-case hex of
     * its UTF-8 bytes ({@code "1"} → {@code _31}).
     */
    public static String encodeLocal(String raw) {
        if (isNcName(raw) && raw.charAt(0) != '_') {
            return raw;
        }
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(1 + 2 * b.length).append('_');
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }
}
