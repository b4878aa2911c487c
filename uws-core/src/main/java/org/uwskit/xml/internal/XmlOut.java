package org.uwskit.xml.internal;

import java.io.IOException;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * One XML document being written: the StAX writer, and the buffered bytes under it for the parts written without
 * StAX (the job refs of a long job list, where the JDK writer's namespace lookups and per-character escaping were
 * most of the time). Text written raw is escaped as the JDK writer escapes it, so the bytes are the same. One
 * document, one thread. Not part of the public API.
 */
public final class XmlOut {
    private final XMLStreamWriter xml;
    private final BufferedBytes raw;

    public XmlOut(XMLStreamWriter xml, BufferedBytes raw) {
        this.xml = xml;
        this.raw = raw;
    }

    public XMLStreamWriter xml() {
        return xml;
    }

    public BufferedBytes raw() {
        return raw;
    }

    /**
     * Ends the open start tag, if any, and moves what the StAX writer holds into the byte buffer, so that raw
     * bytes may follow.
     */
    public void toRaw() throws XMLStreamException {
        xml.writeCharacters("");
        xml.flush();
    }

    /** Writes ASCII markup as it is. */
    public void markup(String ascii) throws IOException {
        raw.writeAscii(ascii);
    }

    /**
     * Writes {@code s} (already {@link XmlText#clean cleaned}) as UTF-8 with {@code & < >} escaped, and {@code "}
     * too when {@code attribute}; in text, CR is written as {@code &#13;} (a literal CR would be read as LF).
     */
    public void escaped(String s, boolean attribute) throws IOException {
        if (plain(s)) {
            raw.writeAscii(s);
            return;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '&' -> markup("&amp;");
                    case '<' -> markup("&lt;");
                    case '>' -> markup("&gt;");
                    case '"' -> {
                        if (attribute) {
                            markup("&quot;");
                        } else {
                            raw.write(c);
                        }
                    }
                    case '\r' -> {
                        if (attribute) {
                            raw.write(c);
                        } else {
                            markup("&#13;");
                        }
                    }
                    default -> raw.write(c);
                }
            } else if (c < 0x800) {
                raw.write(0xC0 | (c >> 6));
                raw.write(0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                raw.write(0xF0 | (cp >> 18));
                raw.write(0x80 | ((cp >> 12) & 0x3F));
                raw.write(0x80 | ((cp >> 6) & 0x3F));
                raw.write(0x80 | (cp & 0x3F));
            } else {
                raw.write(0xE0 | (c >> 12));
                raw.write(0x80 | ((c >> 6) & 0x3F));
                raw.write(0x80 | (c & 0x3F));
            }
        }
    }

    /** Whether {@code s} is ASCII without a character that is escaped (then it is written as it is). */
    private static boolean plain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\r') {
                return false;
            }
        }
        return true;
    }
}
