package org.uwskit.xml;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * Validates documents against the official UWS 1.1 schema ({@code UWS-v1.1.xsd}, REC 2016-10-24), bundled with
 * uwskit together with the XLink schema it imports. Nothing is fetched from the network: the XLink import is
 * resolved to the bundled copy and any other external schema, DTD or entity is refused; documents with a
 * {@code DOCTYPE} are rejected.
 *
 * <p>Use {@link #instance()} for the shared, lazily compiled instance, or {@link #load()} for a private one.
 * Instances are immutable and thread-safe (the compiled {@link Schema} is shared; each call uses its own parser and
 * validator), so tests and servers can validate concurrently.
 */
public final class UwsSchema {
    /** At most this many violations are collected before validation stops. */
    public static final int MAX_VIOLATIONS = 50;
    /** The class-path location of the bundled UWS schema, relative to this class. */
    public static final String UWS_SCHEMA_RESOURCE = "UWS-v1.1.xsd";
    /** The class-path location of the bundled XLink schema, relative to this class. */
    public static final String XLINK_SCHEMA_RESOURCE = "xlink.xsd";

    private final Schema schema;

    private UwsSchema(Schema schema) {
        this.schema = schema;
    }

    private static final class Shared {
        static final UwsSchema INSTANCE = load();
    }

    /** The shared instance, compiled on first use. Immutable, so sharing it is safe. */
    public static UwsSchema instance() {
        return Shared.INSTANCE;
    }

    /**
     * Compiles the bundled schema anew.
     *
     * @throws IllegalStateException if the bundled schema files are missing or do not compile (a packaging bug)
     */
    public static UwsSchema load() {
        URL uws = resource(UWS_SCHEMA_RESOURCE);
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // Only what the resolver below hands over in memory may be read: never the network.
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (SAXException e) {
            throw new IllegalStateException("the JDK schema factory rejects secure-processing settings", e);
        }
        factory.setResourceResolver(new BundledXlink());
        try (InputStream in = uws.openStream()) {
            return new UwsSchema(factory.newSchema(new StreamSource(in, uws.toExternalForm())));
        } catch (SAXException e) {
            throw new IllegalStateException("the bundled UWS schema does not compile: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled UWS schema " + uws, e);
        }
    }

    /** The compiled schema, for callers that need their own {@link javax.xml.validation.Validator}. */
    public Schema schema() {
        return schema;
    }

    /**
     * Validates a complete document.
     *
     * @throws InvalidUwsDocumentException listing every violation (line, column, message) if the document is not
     *                                     well-formed or not valid
     */
    public void validate(byte[] document) {
        Objects.requireNonNull(document, "document");
        try {
            validate(new ByteArrayInputStream(document));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
    }

    /**
     * Validates a complete document read from {@code in}, which is read to its end (or to the first fatal error)
     * and not closed.
     *
     * @throws InvalidUwsDocumentException listing every violation (line, column, message) if the document is not
     *                                     well-formed or not valid
     * @throws IOException                 if reading {@code in} fails
     */
    public void validate(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        Collector errors = new Collector();
        ValidatorHandler handler = schema.newValidatorHandler();
        handler.setErrorHandler(errors);
        XMLReader reader = newReader();
        reader.setContentHandler(handler);
        reader.setErrorHandler(errors);
        try {
            // the parser closes its input when done; the caller owns the stream
            reader.parse(new InputSource(new FilterInputStream(in) {
                @Override
                public void close() {
                }
            }));
        } catch (SAXParseException e) {
            errors.add(e);
        } catch (SAXException e) {
            if (!(e instanceof Collector.Full)) {
                errors.violations.add(new InvalidUwsDocumentException.Violation(-1, -1, String.valueOf(e.getMessage())));
            }
        }
        if (!errors.violations.isEmpty()) {
            throw new InvalidUwsDocumentException(errors.violations);
        }
    }

    private static XMLReader newReader() {
        SAXParserFactory f = SAXParserFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            return f.newSAXParser().getXMLReader();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK SAX parser rejects secure-processing settings", e);
        }
    }

    private static URL resource(String name) {
        URL url = UwsSchema.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("bundled schema " + name + " is missing from the class path (next to "
                    + UwsSchema.class.getName() + ")");
        }
        return url;
    }

    /** Collects violations; stops the parse (by throwing {@link Full}) after {@link #MAX_VIOLATIONS}. */
    private static final class Collector implements ErrorHandler {
        final List<InvalidUwsDocumentException.Violation> violations = new ArrayList<>();

        static final class Full extends SAXException {
            private static final long serialVersionUID = 1L;

            Full() {
                super("too many violations");
            }
        }

        void add(SAXParseException e) {
            InvalidUwsDocumentException.Violation v = new InvalidUwsDocumentException.Violation(
                    e.getLineNumber(), e.getColumnNumber(), String.valueOf(e.getMessage()));
            // a fatal error is reported to the handler and then thrown by parse(): keep it once
            if (violations.isEmpty() || !violations.get(violations.size() - 1).equals(v)) {
                violations.add(v);
            }
        }

        @Override
        public void warning(SAXParseException e) {
            // warnings (e.g. lax wildcards without declarations) are not violations
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            add(e);
            if (violations.size() >= MAX_VIOLATIONS) {
                throw new Full();
            }
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            add(e);
            throw e;
        }
    }

    /** Hands the bundled xlink.xsd to the schema compiler for the XLink namespace import. */
    private static final class BundledXlink implements LSResourceResolver {
        private static final String XLINK_NS = "http://www.w3.org/1999/xlink";

        @Override
        public LSInput resolveResource(String type, String namespaceURI, String publicId, String systemId,
                                       String baseURI) {
            if (!XLINK_NS.equals(namespaceURI)) {
                return null;
            }
            URL url = resource(XLINK_SCHEMA_RESOURCE);
            try {
                return new BytesInput(url.toExternalForm(), url.openStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled " + url, e);
            }
        }
    }

    /** A minimal in-memory {@link LSInput}. */
    private record BytesInput(String systemId, byte[] bytes) implements LSInput {
        @Override public java.io.Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(java.io.Reader characterStream) { throw new UnsupportedOperationException(); }
        @Override public InputStream getByteStream() { return new ByteArrayInputStream(bytes); }
        @Override public void setByteStream(InputStream byteStream) { throw new UnsupportedOperationException(); }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String stringData) { throw new UnsupportedOperationException(); }
        @Override public String getSystemId() { return systemId; }
        @Override public void setSystemId(String systemId) { throw new UnsupportedOperationException(); }
        @Override public String getPublicId() { return null; }
        @Override public void setPublicId(String publicId) { throw new UnsupportedOperationException(); }
        @Override public String getBaseURI() { return null; }
        @Override public void setBaseURI(String baseURI) { throw new UnsupportedOperationException(); }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String encoding) { throw new UnsupportedOperationException(); }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean certifiedText) { throw new UnsupportedOperationException(); }
    }
}
