package org.uwskit;

import java.time.Instant;

/**
 * The short description of a job that a job list shows ({@code <uws:jobref>}); what stores return when listing, so
 * that a list never loads parameters, results or history.
 */
public record JobRef(String jobId, Phase phase, String runId, String ownerId, Instant creationTime) {
}
