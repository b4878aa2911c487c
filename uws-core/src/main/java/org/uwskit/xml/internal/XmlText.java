package org.uwskit.xml.internal;

/**
 * Makes arbitrary Java strings safe to put in an XML 1.0 document. Stateless and thread-safe; not part of the
 * public API.
 */
public final class XmlText {
    /** What replaces a character that XML 1.0 cannot carry, even as a character reference. */
    public static final char REPLACEMENT = '\uFFFD';

    private XmlText() {
    }

    /**
     * Whether {@code c} is a character of the XML 1.0 {@code Char} production
     * ({@code #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]}).
     */
    public static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    /**
     * Returns {@code s} with every character that is illegal in XML 1.0 (C0 controls other than tab, LF and CR,
     * U+FFFE, U+FFFF, unpaired surrogates, which {@link String#codePointAt} returns as themselves) replaced by
     * U+FFFD. Returns {@code s} itself when nothing needed replacing.
     */
    public static String clean(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int cp = s.codePointAt(i);
            if (!isXmlChar(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n);
        b.append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            if (!isXmlChar(cp)) {
                b.append(REPLACEMENT);
            } else {
                b.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /**
     * Turns a jobInfo key into an XML NCName (a legal element name without a prefix) from a conservative character
     * set: other characters become {@code _}, and a {@code _} is put in front of a first character that cannot start
     * a name. A key made of ASCII letters, digits, {@code _ - .} that starts with a letter or {@code _} is returned
     * unchanged.
     */
    public static String toNcName(String key) {
        if (key.isEmpty()) {
            return "_";
        }
        StringBuilder b = new StringBuilder(key.length() + 1);
        int i = 0;
        boolean first = true;
        while (i < key.length()) {
            int cp = key.codePointAt(i);
            if (first && !isNameStart(cp)) {
                b.append('_');
                if (isNameChar(cp)) {
                    b.appendCodePoint(cp);
                }
                // a character that cannot even follow is dropped in favour of the single '_'
            } else {
                b.appendCodePoint(isNameChar(cp) ? cp : '_');
            }
            first = false;
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /**
     * A conservative name-start character: ASCII letters, {@code _} and the Latin-1 letters, which every edition of
     * XML 1.0 (and so every parser) accepts. Other characters become {@code _}.
     */
    static boolean isNameStart(int c) {
        return (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z')
                || (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0xFF);
    }

    /** A conservative name character: {@link #isNameStart} plus digits, {@code -}, {@code .} and U+00B7. */
    static boolean isNameChar(int c) {
        return isNameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7;
    }
}
