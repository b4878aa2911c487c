package org.uwskit;

import java.security.SecureRandom;

/**
 * Generates job ids: 130 random bits from {@link SecureRandom}, written as 26 characters of lower-case base32
 * ({@code a-z2-7}), so ids are unguessable, legal URI path segments, valid XML NCName-like tokens starting with a
 * letter, and never reused in practice. Thread-safe.
 */
public final class JobIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    /** A new random job id. */
    public static String next() {
        byte[] bytes = new byte[17];
        RANDOM.nextBytes(bytes);
        char[] out = new char[26];
        // first char from the letters only, so the id never starts with a digit
        out[0] = ALPHABET[(bytes[16] & 0xff) % 26];
        long acc = 0;
        int bits = 0;
        int pos = 1;
        for (int i = 0; i < 16 && pos < 26; i++) {
            acc = (acc << 8) | (bytes[i] & 0xff);
            bits += 8;
            while (bits >= 5 && pos < 26) {
                bits -= 5;
                out[pos++] = ALPHABET[(int) ((acc >> bits) & 31)];
            }
        }
        return new String(out);
    }

    /** Whether {@code id} has the shape of an id this class produces (used to answer 404 early for junk ids). */
    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }
}
