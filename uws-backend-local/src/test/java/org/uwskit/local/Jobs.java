package org.uwskit.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.JobDefinition;
import org.uwskit.JobIds;
import org.uwskit.Parameter;
import org.uwskit.spi.JobTemplate;

/** Builds job templates for backend tests. */
final class Jobs {
    private Jobs() {
    }

    /** A template of type {@code def} with the given name/value pairs (a value "param:x" is an inline upload). */
    static JobTemplate template(JobDefinition def, String... nameValues) {
        List<Parameter> raw = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            String v = nameValues[i + 1];
            raw.add(v.startsWith("param:")
                    ? new Parameter(nameValues[i], v, true, new Parameter.Upload(null, null, -1))
                    : Parameter.of(nameValues[i], v));
        }
        return new JobTemplate(JobIds.next(), "test", def, null, def.validate(raw), raw, 0, null);
    }

    static JobTemplate template(String type, String... nameValues) {
        return template(JobDefinition.builder(type).build(), nameValues);
    }

    static JobTemplate withDeadline(JobTemplate t, long seconds, Instant deadline) {
        return new JobTemplate(t.jobId(), t.jobList(), t.definition(), t.ownerId(), t.parameters(), t.rawParameters(),
                seconds, deadline);
    }
}
