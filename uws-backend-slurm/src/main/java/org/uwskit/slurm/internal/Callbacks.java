package org.uwskit.slurm.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.JobIds;
import org.uwskit.spi.CallbackReceiver.Answer;
import org.uwskit.spi.CallbackReceiver.Outcome;

/**
 * The receiving side of a SLURM backend's completion callbacks: checks the event, the job's token (in constant time;
 * the token of one job is useless for another) and the body ({@code status=<number>} or nothing), then turns the
 * callback into a hint for the poll thread, never into a phase: the poll decides. A hint polls only when the poll
 * has not seen what it says yet, and at most once per kind and job within {@link #COOLDOWN}: a replay costs
 * nothing, a forged-but-valid "ended" (only someone who can read the job's control files has its token) one burst
 * of batched polls. Never throws; the messages hold nothing secret. Thread-safe.
 */
public final class Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);
    /** The least time between two hints of one kind about one job that make the backend poll. */
    public static final Duration COOLDOWN = Duration.ofSeconds(10);
    /** The event a batch script posts when its command starts. */
    public static final String STARTED = "started";
    /** The event a batch script posts when its command ended. */
    public static final String ENDED = "ended";
    private static final Pattern BODY = Pattern.compile("(status=[0-9]{1,3})?");

    private final CallbackTokens tokens;
    private final JobTracker tracked;
    private final Submissions submissions;
    private final Poller poller;

    /**
     * @param tokens      the tokens of this backend's secret
     * @param tracked     the jobs reported on
     * @param submissions the jobs waiting for SLURM
     * @param poller      the poll thread, hinted
     */
    public Callbacks(CallbackTokens tokens, JobTracker tracked, Submissions submissions, Poller poller) {
        this.tokens = tokens;
        this.tracked = tracked;
        this.submissions = submissions;
        this.poller = poller;
    }

    /** See {@link org.uwskit.spi.CallbackReceiver#receive}. */
    public Answer receive(String jobId, String event, String token, byte[] body) {
        boolean ended;
        if (STARTED.equals(event)) {
            ended = false;
        } else if (ENDED.equals(event)) {
            ended = true;
        } else {
            return Answer.refused(Outcome.BAD_REQUEST, "unknown callback event; a job posts " + STARTED + " or "
                    + ENDED);
        }
        if (jobId == null || !JobIds.isWellFormed(jobId)) {
            return Answer.refused(Outcome.NOT_FOUND, "not a job id");
        }
        if (token == null || token.isBlank()) {
            return Answer.refused(Outcome.FORBIDDEN, "a callback needs the job's token in "
                    + org.uwskit.spi.CallbackReceiver.TOKEN_HEADER);
        }
        if (!tokens.matches(jobId, token)) {
            return Answer.refused(Outcome.FORBIDDEN, "the token is not job " + jobId + "'s (a secret changed since the"
                    + " job was submitted? its end is still found by the poll)");
        }
        String text = body == null ? "" : new String(body, StandardCharsets.US_ASCII).strip();
        if (!BODY.matcher(text).matches()) {
            return Answer.refused(Outcome.BAD_REQUEST, "a callback's body is empty or status=<number>");
        }
        JobTracker.HintNeed need = tracked.hint(jobId, ended, COOLDOWN);
        LOG.debug("callback {} of job {}: {}", event, jobId, need);
        switch (need) {
            case POLL -> poller.hint(jobId, ended);
            case NONE -> {
                // the poll saw it already, or a hint of this kind came just before: a duplicate changes nothing
            }
            case UNKNOWN -> {
                if (!submissions.isWaiting(Submissions.marker(jobId))) {
                    return Answer.refused(Outcome.NOT_FOUND, "job " + jobId + " is not followed by this SLURM"
                            + " backend (it ended, or another node follows it)");
                }
                // it waits for SLURM, which has it after all: the next cycle adopts it by its marker
            }
        }
        return Answer.accepted();
    }
}
