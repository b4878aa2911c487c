package org.uwskit.xml;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Small DOM helpers for the serializer tests. */
public final class Dom {
    private Dom() {
    }

    public static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + new String(xml,
                    java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    /** The child elements of {@code parent}, in order. */
    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** The only child element of {@code parent} in the UWS namespace with this local name, or null. */
    public static Element child(Element parent, String localName) {
        Element found = null;
        for (Element e : children(parent)) {
            if (UwsXml.UWS_NS.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                if (found != null) {
                    throw new AssertionError("two <" + localName + "> in <" + parent.getLocalName() + ">");
                }
                found = e;
            }
        }
        return found;
    }

    public static boolean isNil(Element e) {
        return "true".equals(e.getAttributeNS(UwsXml.XSI_NS, "nil"));
    }

    /** The element's text, or null when it is absent or nil. */
    public static String text(Element parent, String localName) {
        Element e = child(parent, localName);
        return e == null || isNil(e) ? null : e.getTextContent();
    }

    /** An attribute in no namespace, or null when absent. */
    public static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    public static String xlinkHref(Element e) {
        return e.hasAttributeNS(UwsXml.XLINK_NS, "href") ? e.getAttributeNS(UwsXml.XLINK_NS, "href") : null;
    }
}
