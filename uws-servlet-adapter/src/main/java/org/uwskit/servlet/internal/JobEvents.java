package org.uwskit.servlet.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.AccessDeniedException;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.UwsException;
import org.uwskit.spi.JobChangeFeed;

/**
 * {@code GET {mount}/{jobList}/}{@value #SEGMENT}: a server-sent event stream of the changes of the caller's jobs in
 * one job list, for the browser job manager (one stream per page, whatever the number of jobs shown, instead of one
 * held {@code WAIT} per job). Events:
 * <ul>
 *   <li>{@code ready} once the stream is open (the page then reads the job list: no change after it is missed);</li>
 *   <li>{@code job} with {@code {"jobId", "phase", "version", "progress", "progressMessage"}} when one of the
 *       caller's jobs is created or changes (phase, progress, results, times), at most one per job per
 *       {@link ManagerConfig#coalesce} window;</li>
 *   <li>{@code deleted} with {@code {"jobId"}}; {@code resync} when changes may have been missed (re-read the list);
 *   and a comment line every {@link ManagerConfig#heartbeat}.</li>
 * </ul>
 * Changes come from the store's {@link JobChangeFeed} when one is configured (the feed that wakes {@code WAIT}: other
 * nodes' changes included, nothing read unless a stream of that job list is open); without one, the active jobs of
 * each open stream are re-read every {@link ManagerConfig#pollInterval}. Which jobs a stream gets is decided by the
 * service itself: the job is read with the stream's caller once ({@link JobService#get}), so a stream never carries
 * a job its caller may not read. Streams are bounded per owner (anonymous callers: per client
 * address) and in all (429), end after
 * {@link ManagerConfig#maxStreamAge}, when their client lags or leaves, and when the servlet is destroyed. One daemon
 * thread, {@value #THREAD}, started with the first stream, does every read and write. Thread-safe.
 */
public final class JobEvents implements AutoCloseable {
    /** The path segment after the job list; never a job id (ids are 26 characters). */
    public static final String SEGMENT = "events";
    /** The name of the thread that feeds the streams. */
    public static final String THREAD = "uws-manager-events";
    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<Phase> ACTIVE = EnumSet.of(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.HELD,
            Phase.SUSPENDED);
    private static final int MAX_POLLED = 200;
    /** How long a browser waits before it opens the stream again after it ended. */
    private static final long RETRY_MILLIS = 3000;

    private final JobService service;
    private final ManagerConfig config;
    private final ClientGone clientGone = ClientGone.forContainer();
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perOwner = new ConcurrentHashMap<>();
    /** Jobs changed since the last flush, by id, with their job list. */
    private final Map<String, String> dirty = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean resync;
    private ScheduledExecutorService executor;
    private AutoCloseable subscription;
    private boolean closed;

    /** A hub for {@code service}'s job lists; starts nothing until the first stream opens. */
    public JobEvents(JobService service, ManagerConfig config) {
        this.service = service;
        this.config = config;
    }

    /** Whether a request path (segments after the mount) is a job list's event stream. */
    public boolean matches(List<String> seg) {
        return config.enabled() && seg.size() == 2 && seg.get(1).equals(SEGMENT);
    }

    /**
     * Opens a stream for {@code caller} on {@code list} (access and rate were checked by the caller of this method).
     *
     * @throws HttpProblem 429 beyond the per-owner or global number of streams, 503 once closed
     */
    public void open(HttpServletRequest req, HttpServletResponse resp, Caller caller, JobList list) throws IOException {
        // anonymous callers share one owner for jobs and quotas, but each client address gets its own streams
        String owner = caller.ownerId() != null ? "owner " + caller.ownerId() : "anonymous at " + req.getRemoteAddr();
        synchronized (this) {
            if (closed) {
                throw new HttpProblem(503, "the service is stopping");
            }
            if (streams.size() >= config.maxStreams()) {
                throw new HttpProblem(429, "too many event streams are open (" + config.maxStreams() + "); try later");
            }
            if (perOwner.getOrDefault(owner, 0) >= config.maxStreamsPerOwner()) {
                // not counted against the owner: the client may close a page and retry
                throw new HttpProblem(429, "you have " + config.maxStreamsPerOwner()
                        + " event streams open already; close a job manager page");
            }
            perOwner.merge(owner, 1, Integer::sum);
            start();
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        AsyncContext ac = req.startAsync(req, resp);
        ac.setTimeout(config.maxStreamAge().toMillis() + config.heartbeat().toMillis() * 2);
        EventStream[] holder = new EventStream[1];
        EventStream s = new EventStream(caller, owner, list.name(), ac, () -> forget(holder[0]));
        holder[0] = s;
        ac.addListener(new AsyncListener() {
            @Override public void onComplete(AsyncEvent e) { s.close(); }
            @Override public void onTimeout(AsyncEvent e) { s.close(); }
            @Override public void onError(AsyncEvent e) { s.close(); }
            @Override public void onStartAsync(AsyncEvent e) { }
        });
        streams.add(s);
        s.start(clientGone);
        executor.execute(() -> {
            if (config.feed() == null) {
                poll(s);
            }
            s.retry(RETRY_MILLIS);
            s.send("ready", "{}");
        });
    }

    private void forget(EventStream s) {
        if (s != null && streams.remove(s)) {
            perOwner.computeIfPresent(s.owner, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Starts the thread and the feed subscription with the first stream. */
    private void start() {
        if (executor != null) {
            return;
        }
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        executor = ex;
        long hb = config.heartbeat().toMillis();
        ex.scheduleWithFixedDelay(this::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
        if (config.feed() != null) {
            subscription = config.feed().subscribe(this::changed);
        } else {
            long p = config.pollInterval().toMillis();
            ex.scheduleWithFixedDelay(() -> streams.forEach(this::poll), p, p, TimeUnit.MILLISECONDS);
        }
    }

    /** The feed's listener: on the store's thread, returns at once. */
    private void changed(JobChangeFeed.JobChange change) {
        if (streams.isEmpty()) {
            return;
        }
        if (change.isResync()) {
            resync = true;
        } else if (streams.stream().anyMatch(s -> s.jobList.equals(change.jobList()))) {
            dirty.put(change.jobId(), change.jobList());
        } else {
            return;
        }
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                executor.schedule(this::flush, config.coalesce().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException stopped) {
                flushScheduled.set(false);
            }
        }
    }

    /** Without a feed: marks the stream's active jobs, and those active at the last poll, as changed. */
    private void poll(EventStream s) {
        Set<String> now = new HashSet<>();
        try (Stream<JobRef> refs = service.list(s.caller, new JobFilter(s.jobList, null, true, ACTIVE, null,
                MAX_POLLED))) {
            refs.forEach(r -> now.add(r.jobId()));
        } catch (UwsException | IllegalStateException e) {
            LOG.debug("polling the jobs of an event stream failed: {}", e.toString());
            return;
        }
        for (String id : now) {
            dirty.put(id, s.jobList);
        }
        for (String id : s.active) {
            dirty.put(id, s.jobList);
        }
        s.active = now;
        scheduleFlush();
    }

    /** On the hub thread: one read per changed job and stream, one event per job whose version moved. */
    private void flush() {
        flushScheduled.set(false);
        if (resync) {
            resync = false;
            streams.forEach(s -> s.send("resync", "{}"));
        }
        List<Map.Entry<String, String>> changes = new ArrayList<>(dirty.entrySet());
        for (Map.Entry<String, String> e : changes) {
            dirty.remove(e.getKey(), e.getValue());
        }
        for (EventStream s : streams) {
            s.trim();
            for (Map.Entry<String, String> e : changes) {
                if (e.getValue().equals(s.jobList) && !s.hidden.contains(e.getKey())) {
                    deliver(s, e.getKey());
                }
            }
        }
    }

    private void deliver(EventStream s, String jobId) {
        Job job;
        try {
            job = service.get(s.caller, s.jobList, jobId);
        } catch (JobNotFoundException gone) {
            if (s.visible.remove(jobId) != null) {
                s.send("deleted", json(jobId, null));
            } else {
                s.hidden.add(jobId); // another owner's job under hideOtherOwnersJobs, or deleted unseen
            }
            return;
        } catch (AccessDeniedException denied) {
            s.hidden.add(jobId);
            return;
        } catch (UwsException | IllegalStateException e) {
            LOG.debug("reading job {} for an event stream failed: {}", jobId, e.toString());
            return;
        }
        Long sent = s.visible.get(jobId);
        if (sent != null && sent >= job.version()) {
            return;
        }
        s.visible.put(jobId, job.version());
        s.send("job", json(jobId, job));
    }

    private void heartbeat() {
        long maxAge = config.maxStreamAge().toNanos();
        for (EventStream s : streams) {
            if (System.nanoTime() - s.openedNanos > maxAge) {
                s.close();
            } else {
                s.comment("hb");
            }
        }
    }

    static String json(String jobId, Job job) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("jobId", jobId);
            if (job != null) {
                g.writeStringField("phase", job.phase().name());
                g.writeNumberField("version", job.version());
                String p = job.jobInfo().get("progress");
                if (p != null) {
                    g.writeStringField("progress", p);
                }
                String m = job.jobInfo().get("progressMessage");
                if (m != null) {
                    g.writeStringField("progressMessage", m);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    /** The number of open streams (for tests). */
    public int size() {
        return streams.size();
    }

    /** Ends every open stream (new ones may still open). */
    public void endStreams() {
        new ArrayList<>(streams).forEach(EventStream::close);
    }

    /** Ends every stream, unsubscribes from the feed and stops the thread. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService ex;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ex = executor;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("closing the change feed subscription failed: {}", e.toString());
            }
        }
        new ArrayList<>(streams).forEach(EventStream::close);
        if (ex != null) {
            ex.shutdownNow();
        }
    }
}
