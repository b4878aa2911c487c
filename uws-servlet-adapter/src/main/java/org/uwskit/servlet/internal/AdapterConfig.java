package org.uwskit.servlet.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uwskit.JobService;
import org.uwskit.json.UwsJson;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobSerializer;
import org.uwskit.spi.OwnerResolver;
import org.uwskit.xml.UwsXml;

/**
 * The immutable configuration of one {@code UwsServlet}, as its builder resolved it.
 *
 * @param serializers      the non-default serializers by lower-case media type, plus JSON; XML is built per
 *                         stylesheet href by the dispatcher unless replaced here under {@code application/xml}
 * @param maxUploadBytes   the largest upload the container accepts (the job lists' largest maxUploadSize)
 * @param stylesheetPath   the servlet-relative path of the XSLT
 * @param html             whether browsers that prefer text/html get pages rendered on the server
 * @param htmlMaxJobs      the most jobs on a job list page
 * @param bodies           how request bodies are read (limits, rate, deadline, spool directory)
 * @param web              public base URL, allowed origins, the answer for other owners' jobs, the job lists served
 * @param manager          the browser job manager and the job lists' event streams
 * @param callbackReceivers the receivers of jobs' callbacks, mounted under {@code _callbacks/{name}}
 */
public record AdapterConfig(
        JobService service,
        OwnerResolver ownerResolver,
        List<JobDocumentProvider> documentProviders,
        Map<String, JobSerializer> serializers,
        int retryAfterSeconds,
        long maxFormBytes,
        int multipartThreshold,
        long maxUploadBytes,
        Duration waitMargin,
        boolean stylesheet,
        String authenticationChallenge,
        String stylesheetPath,
        boolean html,
        int htmlMaxJobs,
        BodyLimits bodies,
        WebPolicy web,
        ManagerConfig manager,
        List<CallbackReceiver> callbackReceivers) {

    public AdapterConfig {
        documentProviders = List.copyOf(documentProviders);
        callbackReceivers = List.copyOf(callbackReceivers);
        serializers = Map.copyOf(serializers);
    }

    /** The default JSON serializer plus the user's, later ones replacing earlier ones of the same media type. */
    public static Map<String, JobSerializer> serializers(List<JobSerializer> user) {
        Map<String, JobSerializer> out = new LinkedHashMap<>();
        JobSerializer json = UwsJson.create();
        out.put(json.mediaType().toLowerCase(Locale.ROOT), json);
        for (JobSerializer s : user) {
            out.put(s.mediaType().toLowerCase(Locale.ROOT), s);
        }
        return out;
    }

    /** The user's replacement for the XML serializer, or null for the built-in {@link UwsXml}. */
    public JobSerializer customXml() {
        return serializers.get(UwsXml.MEDIA_TYPE);
    }
}
