package org.uwskit.examples.fuzz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * What every answer of the server must be, whatever was asked: never a 500 (nor another 5xx but 501 and 503, and
 * those with a message), a well-formed document for a 2xx that says it is XML or JSON, a non-empty message for
 * every 4xx. Partial (206) and body-less answers (HEAD, 204, 304) and stored bytes ({@link #storedBytes}) are not
 * parsed. Thread-safe.
 */
final class AnswerCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerCheck() {
    }

    /** The problem with the answer, in a short stable phrase (used to group failures), or null if it is fine. */
    static String problem(FuzzRequest q, RawHttp.Response a) {
        int s = a.status();
        boolean hasBody = !q.method().equals("HEAD") && s != 204 && s != 304;
        if (s == 500) {
            return "500";
        }
        if (s >= 500 && s != 501 && s != 503) {
            return s + " (a 5xx other than 501/503)";
        }
        if ((s >= 400) && hasBody && a.text().isBlank()) {
            return s + " with an empty body";
        }
        if (s >= 200 && s < 300 && hasBody && s != 206 && !storedBytes(q)) {
            String type = mediaType(a.header("Content-Type"));
            if (type.equals("application/xml") || type.equals("text/xml") || type.endsWith("+xml")) {
                String why = notXml(a.body());
                return why == null ? null : s + " " + type + " that is not well-formed XML: " + why;
            }
            if (type.equals("application/json") || type.endsWith("+json")) {
                String why = notJson(a.body());
                return why == null ? null : s + " " + type + " that is not well-formed JSON: " + why;
            }
        }
        return null;
    }

    /**
     * Whether the request reads bytes the server stores for a client or a job rather than writes itself: an upload
     * ({@code …/parameters/NAME}) or a result ({@code …/results/ID}) is served as it was given, under the media type
     * given with it, so it is not held to be a well-formed document.
     */
    static boolean storedBytes(FuzzRequest q) {
        String path = q.target();
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        return path.matches(".*/(parameters|results)/[^/]+");
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String notXml(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            var b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXParseException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            b.parse(new ByteArrayInputStream(body));
            return null;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private static String notJson(byte[] body) {
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            JSON.readTree(p);
            JsonToken after = p.nextToken();
            if (body.length == 0) {
                return "empty body";
            }
            return after == null ? null : "text after the document: " + after;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
