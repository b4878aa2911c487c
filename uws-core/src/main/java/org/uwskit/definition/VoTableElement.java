package org.uwskit.definition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One element of a small XML document (a VOTable job definition), read with StAX without DTDs or external entities,
 * remembering its path and where it starts, so that a problem found later is reported at its place. Namespaces are
 * ignored (VOTable 1.1 to 1.5 files read alike). Immutable.
 */
final class VoTableElement {
    /** More elements than any job definition has: refuses a file made to exhaust memory. */
    private static final int MAX_ELEMENTS = 10_000;
    private static final XMLInputFactory FACTORY = factory();

    final String name;
    final String path;
    final int line;
    final int column;
    final Map<String, String> attributes;
    final List<VoTableElement> children;
    /** The element's own text (its direct character content), not trimmed. */
    final String text;

    private VoTableElement(String name, String path, int line, int column, Map<String, String> attributes,
                           List<VoTableElement> children, String text) {
        this.name = name;
        this.path = path;
        this.line = line;
        this.column = column;
        this.attributes = attributes;
        this.children = children;
        this.text = text;
    }

    /** Reads the document element of {@code in}. */
    static VoTableElement read(Path file, InputStream in) throws IOException {
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(in);
            while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                // the prolog
            }
            if (!r.isStartElement()) {
                throw new DefinitionException(file, "", 0, 0, "the file holds no XML element");
            }
            return element(r, "", new int[] {0}, file);
        } catch (XMLStreamException e) {
            Location at = e.getLocation();
            throw new DefinitionException(file, "", at == null ? 0 : at.getLineNumber(),
                    at == null ? 0 : at.getColumnNumber(), "not well-formed XML: " + firstLine(e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing was written
                }
            }
        }
    }

    private static VoTableElement element(XMLStreamReader r, String parentPath, int[] count, Path file)
            throws XMLStreamException {
        Location at = r.getLocation();
        if (++count[0] > MAX_ELEMENTS) {
            throw new DefinitionException(file, parentPath, at.getLineNumber(), at.getColumnNumber(),
                    "more than " + MAX_ELEMENTS + " elements: not a job definition");
        }
        String name = r.getLocalName();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < r.getAttributeCount(); i++) {
            attributes.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
        }
        String label = attributes.containsKey("name") ? "[@name='" + attributes.get("name") + "']" : "";
        String path = parentPath + "/" + name + label;
        List<VoTableElement> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                children.add(element(r, path, count, file));
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                text.append(r.getText());
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                break;
            }
        }
        return new VoTableElement(name, path, at.getLineNumber(), at.getColumnNumber(),
                Collections.unmodifiableMap(attributes), List.copyOf(children), text.toString());
    }

    /** The children called {@code childName}, in document order. */
    List<VoTableElement> children(String childName) {
        List<VoTableElement> out = new ArrayList<>();
        for (VoTableElement c : children) {
            if (c.name.equals(childName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The trimmed text of the first {@code DESCRIPTION} child, or null if there is none or it is blank. */
    String description() {
        for (VoTableElement c : children) {
            if (c.name.equals("DESCRIPTION")) {
                String t = c.text.strip();
                return t.isEmpty() ? null : t;
            }
        }
        return null;
    }

    /** Where this element starts, with its path. */
    JsonNode.Place place() {
        return new JsonNode.Place(path, line, column);
    }

    /** Where attribute {@code attribute} of this element is (the element's start; StAX gives no attribute place). */
    JsonNode.Place place(String attribute) {
        return new JsonNode.Place(path + "/@" + attribute, line, column);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String m = nl < 0 ? message : message.substring(nl + 1);
        return m.strip();
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
