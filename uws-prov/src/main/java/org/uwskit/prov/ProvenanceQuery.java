package org.uwskit.prov;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.spi.JobLinks;

/**
 * ProvSAP-style provenance queries across the jobs of one job list: from an {@code ID} (a job's activity id or one
 * of its result ids), follow jobs that fed it ({@link Direction#BACK}), jobs it fed ({@link Direction#FORTH}) or
 * both, up to {@code DEPTH} job-to-job hops, and return the merged document. Jobs are linked when one used a
 * result URL of another (both documents then carry the same entity id, see
 * {@link ProvenanceBuilder#inputEntityId}).
 *
 * <p>{@code DEPTH} counts hops between jobs: 0 gives the starting job's document only, 1 adds the jobs directly
 * before and/or after it, {@code ALL} follows every link. At most {@link #maxJobs} documents are merged and, for
 * FORTH, at most {@link #maxScannedJobs} finished jobs are scanned for their inputs. Thread-safe.
 */
public final class ProvenanceQuery {
    /** Default cap on the documents merged by one query. */
    public static final int DEFAULT_MAX_JOBS = 1000;
    /** Default cap on the finished jobs scanned to find the users of a result (FORTH). */
    public static final int DEFAULT_MAX_SCANNED_JOBS = 10_000;
    /** DEPTH value meaning unbounded. */
    public static final int ALL = Integer.MAX_VALUE;

    /** Which links to follow. */
    public enum Direction {
        /** Towards the jobs whose results the starting job used. */
        BACK,
        /** Towards the jobs that used the starting job's results. */
        FORTH,
        /** Both ways. */
        BOTH
    }

    /** The jobs a query may read. Thread-safe. */
    public interface JobLookup {
        /** A job of the job list, if it exists and the caller may see it. */
        Optional<Job> find(String jobId);

        /** The finished jobs of the job list the caller may see (closed by the query). */
        Stream<Job> finishedJobs();

        /**
         * Jobs read through a {@link JobService} as {@code caller}: jobs the caller may not access are absent.
         *
         * @param service the service
         * @param caller  who asks
         * @param jobList the job list name
         * @return the lookup
         */
        static JobLookup of(JobService service, Caller caller, String jobList) {
            return new JobLookup() {
                @Override
                public Optional<Job> find(String jobId) {
                    try {
                        return Optional.of(service.get(caller, jobList, jobId));
                    } catch (JobNotFoundException | org.uwskit.AccessDeniedException e) {
                        return Optional.empty();
                    }
                }

                @Override
                public Stream<Job> finishedJobs() {
                    JobFilter f = new JobFilter(jobList, caller.ownerId(), caller.admin(),
                            Set.of(Phase.COMPLETED, Phase.ERROR, Phase.ABORTED), null, null);
                    Stream<JobRef> refs = service.list(caller, f);
                    return refs.map(r -> find(r.jobId())).flatMap(Optional::stream).onClose(refs::close);
                }
            };
        }
    }

    private final ProvenanceDocuments documents;
    private final int maxJobs;
    private final int maxScannedJobs;

    private ProvenanceQuery(ProvenanceDocuments documents, int maxJobs, int maxScannedJobs) {
        this.documents = Objects.requireNonNull(documents, "documents");
        if (maxJobs < 1 || maxScannedJobs < 0) {
            throw new IllegalArgumentException("maxJobs must be >= 1 and maxScannedJobs >= 0");
        }
        this.maxJobs = maxJobs;
        this.maxScannedJobs = maxScannedJobs;
    }

    /**
     * A query with the default caps.
     *
     * @param documents makes each job's document
     * @return the query
     */
    public static ProvenanceQuery of(ProvenanceDocuments documents) {
        return new ProvenanceQuery(documents, DEFAULT_MAX_JOBS, DEFAULT_MAX_SCANNED_JOBS);
    }

    /**
     * A query with explicit caps.
     *
     * @param documents      makes each job's document
     * @param maxJobs        the most documents merged (≥ 1)
     * @param maxScannedJobs the most finished jobs scanned for FORTH (≥ 0)
     * @return the query
     * @throws IllegalArgumentException if a cap is out of range
     */
    public static ProvenanceQuery of(ProvenanceDocuments documents, int maxJobs, int maxScannedJobs) {
        return new ProvenanceQuery(documents, maxJobs, maxScannedJobs);
    }

    /** @return the most documents one query merges */
    public int maxJobs() {
        return maxJobs;
    }

    /** @return the most finished jobs one FORTH query scans */
    public int maxScannedJobs() {
        return maxScannedJobs;
    }

    /**
     * A query's reach: how many job-to-job hops ({@code DEPTH}) and which way ({@code DIRECTION}). {@link #parse} is
     * the one parser of the ProvSAP values, used by {@link ProvenanceQuery#run(JobLookup, JobList, JobLinks, String,
     * String, String)} and by the HTTP endpoint {@code org.uwskit.prov.servlet.ProvSapServlet}.
     *
     * @param depth     job-to-job hops, {@code >= 0}; {@link #ALL} for unbounded
     * @param direction which links to follow
     */
    public record Scope(int depth, Direction direction) {
        /** The ProvSAP defaults: DEPTH 1, DIRECTION BACK. */
        public static final Scope DEFAULT = new Scope(1, Direction.BACK);

        /**
         * @throws IllegalArgumentException if depth is negative
         * @throws NullPointerException     if direction is null
         */
        public Scope {
            if (depth < 0) {
                throw new IllegalArgumentException("depth must be >= 0, got " + depth);
            }
            Objects.requireNonNull(direction, "direction");
        }

        /**
         * Parses ProvSAP parameter values. A bad value adds one sentence naming it to {@code problems} (so that a
         * caller can report it with its other problems) and leaves that part at its default.
         *
         * @param depth     a non-negative integer or {@code ALL} (any case, blanks around ignored); null means 1
         * @param direction {@code BACK}, {@code FORTH} or {@code BOTH} (any case); null means BACK
         * @param problems  where the sentences of bad values are added
         * @return the scope, with defaults for absent or bad values
         */
        public static Scope parse(String depth, String direction, List<String> problems) {
            int d = DEFAULT.depth();
            if (depth != null) {
                if (depth.trim().equalsIgnoreCase("ALL")) {
                    d = ALL;
                } else {
                    try {
                        int parsed = Integer.parseInt(depth.trim());
                        if (parsed < 0) {
                            problems.add("DEPTH must be a non-negative integer or ALL, got " + depth);
                        } else {
                            d = parsed;
                        }
                    } catch (NumberFormatException e) {
                        problems.add("DEPTH must be a non-negative integer or ALL, got '" + depth + "'");
                    }
                }
            }
            Direction dir = DEFAULT.direction();
            if (direction != null) {
                try {
                    dir = Direction.valueOf(direction.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add("DIRECTION must be BACK, FORTH or BOTH, got '" + direction + "'");
                }
            }
            return new Scope(d, dir);
        }
    }

    /**
     * Runs a query given as ProvSAP parameter values.
     *
     * @param lookup    the jobs the query may read
     * @param jobList   the job list of the jobs
     * @param links     the URLs of the job list's resources
     * @param id        the starting job's activity id or one of its result ids
     * @param depth     a non-negative integer or {@code ALL}; null means 1
     * @param direction {@code BACK}, {@code FORTH} or {@code BOTH} (any case); null means BACK
     * @return the merged documents, as {@link #run(JobLookup, JobList, JobLinks, String, int, Direction)}
     * @throws InvalidRequestException for a missing ID or a malformed DEPTH or DIRECTION, listing every problem
     * @throws IOException             if a job's records cannot be read
     */
    public ProvDocument run(JobLookup lookup, JobList jobList, JobLinks links, String id, String depth,
                            String direction) throws IOException {
        List<String> problems = new ArrayList<>();
        if (id == null || id.isBlank()) {
            problems.add("ID is required: the id of a job's activity or of one of its results");
        }
        Scope scope = Scope.parse(depth, direction, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return run(lookup, jobList, links, id.trim(), scope.depth(), scope.direction());
    }

    /**
     * Runs a query.
     *
     * @return the merged documents; empty if {@code id} is not the id of a visible finished job of this job list
     */
    public ProvDocument run(JobLookup lookup, JobList jobList, JobLinks links, String id, int depth,
                            Direction direction) throws IOException {
        ProvenanceBuilder pb = documents.provenance();
        ProvDocument.Builder out = ProvDocument.builder();
        String start = pb.jobIdOf(id, links);
        if (start == null) {
            return out.build();
        }
        Map<String, List<String>> users = null;
        Set<String> visited = new HashSet<>();
        Deque<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[] {start, 0});
        visited.add(start);
        int merged = 0;
        while (!queue.isEmpty() && merged < maxJobs) {
            Object[] next = queue.poll();
            String jobId = (String) next[0];
            int hops = (Integer) next[1];
            Optional<Job> job = lookup.find(jobId).filter(j -> j.phase().isFinished());
            if (job.isEmpty()) {
                continue;
            }
            ProvDocument doc = documents.document(job.get(), jobList, links);
            out.addAll(doc);
            merged++;
            if (hops >= depth) {
                continue;
            }
            String activity = pb.activityId(jobId, links);
            List<String> neighbours = new ArrayList<>();
            if (direction != Direction.FORTH) {
                for (ProvRelation u : doc.relations(RelationKind.USED)) {
                    if (activity.equals(u.argument("activity")) && u.argument("entity") != null) {
                        String producer = pb.jobIdOf(u.argument("entity"), links);
                        if (producer != null) {
                            neighbours.add(producer);
                        }
                    }
                }
            }
            if (direction != Direction.BACK) {
                if (users == null) {
                    users = usersIndex(lookup, links);
                }
                for (ProvRelation g : doc.relations(RelationKind.WAS_GENERATED_BY)) {
                    if (activity.equals(g.argument("activity"))) {
                        neighbours.addAll(users.getOrDefault(g.argument("entity"), List.of()));
                    }
                }
            }
            for (String n : neighbours) {
                if (visited.add(n)) {
                    queue.add(new Object[] {n, hops + 1});
                }
            }
        }
        return out.build();
    }

    /** Entity id → ids of the finished jobs that used it. */
    private Map<String, List<String>> usersIndex(JobLookup lookup, JobLinks links) {
        ProvenanceBuilder pb = documents.provenance();
        Map<String, List<String>> index = new HashMap<>();
        try (Stream<Job> jobs = lookup.finishedJobs()) {
            Iterator<Job> it = jobs.limit(maxScannedJobs).iterator();
            while (it.hasNext()) {
                Job j = it.next();
                for (Parameter p : j.parameters()) {
                    if (p.upload() == null && p.value().contains(":")) {
                        index.computeIfAbsent(pb.inputEntityId(p.value(), links), k -> new ArrayList<>()).add(j.jobId());
                    }
                }
            }
        }
        return index;
    }
}
