package org.uwskit.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.Lease;
import org.uwskit.Phase;
import org.uwskit.spi.JobStore.Cursor;
import org.uwskit.spi.OwnerUsage;

/**
 * The snapshots of {@link InMemoryJobStore} and the sorted indexes over them: per job list a sorted set in list
 * order (creationTime descending, jobId descending), per (job list, phase) and per (job list, owner) the same, the
 * owners' usage counters, and sorted indexes of destruction instants and execution deadlines. Every query reads
 * only what it returns. Not API.
 *
 * <p><b>Threading:</b> not thread-safe: the store's read-write lock guards every call.
 */
final class JobIndexes {
    /**
     * List order: creationTime descending, then jobId descending (both never change in a job's life). Written out
     * rather than composed with {@code Comparator.comparing}: every insert compares along four trees of all the
     * stored jobs, and the composed form's extractor and reversal calls were a visible share of creation's profile.
     */
    private static final Comparator<Job> LIST_ORDER = (a, b) -> {
        int c = b.creationTime().compareTo(a.creationTime());
        return c != 0 ? c : b.jobId().compareTo(a.jobId());
    };
    /** Destruction order: instant ascending, then jobId (only jobs with a destruction are in the index). */
    private static final Comparator<Job> DESTRUCTION_ORDER = (a, b) -> {
        int c = a.destruction().compareTo(b.destruction());
        return c != 0 ? c : a.jobId().compareTo(b.jobId());
    };
    /** Deadline order: instant ascending, then jobId (only jobs with a deadline are in the index). */
    private static final Comparator<Job> DEADLINE_ORDER = (a, b) -> {
        int c = a.deadline().orElseThrow().compareTo(b.deadline().orElseThrow());
        return c != 0 ? c : a.jobId().compareTo(b.jobId());
    };

    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, JobListIndex> lists = new HashMap<>();
    private final NavigableSet<Job> destructions = new TreeSet<>(DESTRUCTION_ORDER);
    private final NavigableSet<Job> deadlines = new TreeSet<>(DEADLINE_ORDER);

    private static final class JobListIndex {
        final NavigableSet<Job> all = new TreeSet<>(LIST_ORDER);
        final Map<Phase, NavigableSet<Job>> byPhase = new EnumMap<>(Phase.class);
        final Map<String, NavigableSet<Job>> byOwner = new HashMap<>();
        /** Per owner key: stored jobs, active jobs, upload bytes (what {@link #ownerUsage} returns), kept current. */
        final Map<String, long[]> usage = new HashMap<>();

        NavigableSet<Job> phase(Phase p) {
            return byPhase.computeIfAbsent(p, x -> new TreeSet<>(LIST_ORDER));
        }

        NavigableSet<Job> owner(String owner) {
            return byOwner.computeIfAbsent(ownerKey(owner), x -> new TreeSet<>(LIST_ORDER));
        }
    }

    /** Owner index key; anonymous jobs share one entry that no real owner id can equal. */
    private static String ownerKey(String ownerId) {
        return ownerId == null ? "\u0000anonymous" : ownerId;
    }

    /** The current snapshot of a job, or null. */
    Job get(String jobId) {
        return jobs.get(jobId);
    }

    /** The number of stored jobs. */
    int size() {
        return jobs.size();
    }

    /** The page of {@link org.uwskit.spi.JobStore#list}: at most {@code limit} refs after {@code cursor}. */
    List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        JobListIndex idx = lists.get(filter.jobList());
        if (idx == null) {
            return List.of();
        }
        Job from = cursor == null ? null
                : Job.builder(cursor.jobId(), filter.jobList(), "", cursor.creationTime()).build();
        List<NavigableSet<Job>> sources = sources(idx, filter);
        List<JobRef> out = new ArrayList<>();
        for (NavigableSet<Job> source : sources) {
            collect(source, from, filter, limit, out);
        }
        if (sources.size() > 1) {
            out.sort(Comparator.comparing(JobRef::creationTime).thenComparing(JobRef::jobId).reversed());
            if (out.size() > limit) {
                out.subList(limit, out.size()).clear();
            }
        }
        return out;
    }

    /** The count of {@link org.uwskit.spi.JobStore#count}. */
    long count(JobFilter filter) {
        JobListIndex idx = lists.get(filter.jobList());
        if (idx == null) {
            return 0;
        }
        long n = 0;
        if (filter.after() == null && filter.allOwners()) {
            // whole index sets match: no need to visit them
            if (filter.phases().isEmpty()) {
                NavigableSet<Job> archived = idx.byPhase.get(Phase.ARCHIVED);
                return idx.all.size() - (archived == null ? 0 : archived.size());
            }
            for (NavigableSet<Job> source : sources(idx, filter)) {
                n += source.size();
            }
            return n;
        }
        for (NavigableSet<Job> source : sources(idx, filter)) {
            for (Job k : source) {
                if (filter.after() != null && !k.creationTime().isAfter(filter.after())) {
                    break;
                }
                if (filter.matches(k.ref())) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Read from counters kept current on every change: no job is visited. */
    OwnerUsage ownerUsage(String jobList, String ownerId) {
        JobListIndex idx = lists.get(jobList);
        long[] u = idx == null ? null : idx.usage.get(ownerKey(ownerId));
        return u == null ? OwnerUsage.NONE : new OwnerUsage(u[0], u[1], u[2]);
    }

    /** Adds ({@code sign} 1) or removes (-1) a job's share of its owner's usage. */
    private static void count(JobListIndex idx, Job job, int sign) {
        if (job.phase() == Phase.ARCHIVED) {
            return;
        }
        String owner = ownerKey(job.ownerId());
        long[] u = idx.usage.computeIfAbsent(owner, x -> new long[3]);
        u[0] += sign;
        if (OwnerUsage.ACTIVE_PHASES.contains(job.phase())) {
            u[1] += sign;
        }
        u[2] += sign * OwnerUsage.uploadBytesOf(job);
        if (u[0] == 0) {
            idx.usage.remove(owner);
        }
    }

    /** The smallest index sets whose union holds every job the filter can match. */
    private static List<NavigableSet<Job>> sources(JobListIndex idx, JobFilter filter) {
        if (!filter.phases().isEmpty()) {
            List<NavigableSet<Job>> out = new ArrayList<>();
            for (Phase p : filter.phases()) {
                NavigableSet<Job> s = idx.byPhase.get(p);
                if (s != null && !s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        if (!filter.allOwners()) {
            NavigableSet<Job> s = idx.byOwner.get(ownerKey(filter.ownerId()));
            return s == null ? List.of() : List.of(s);
        }
        return List.of(idx.all);
    }

    private static void collect(NavigableSet<Job> source, Job from, JobFilter filter, int limit, List<JobRef> out) {
        Iterable<Job> keys = from == null ? source : source.tailSet(from, false);
        int taken = 0;
        for (Job k : keys) {
            if (filter.after() != null && !k.creationTime().isAfter(filter.after())) {
                break;
            }
            JobRef ref = k.ref();
            if (filter.matches(ref)) {
                out.add(ref);
                if (++taken >= limit) {
                    break;
                }
            }
        }
    }

    /** Jobs not ARCHIVED whose destruction instant is at or before {@code now}, earliest first. */
    List<Job> dueForDestruction(Instant now, int limit) {
        return due(destructions, Job::destruction, now, limit, j -> j.phase() != Phase.ARCHIVED);
    }

    /** EXECUTING jobs whose deadline is at or before {@code now}, earliest first. */
    List<Job> dueForTimeout(Instant now, int limit) {
        return due(deadlines, j -> j.deadline().orElseThrow(), now, limit, j -> j.phase() == Phase.EXECUTING);
    }

    private static List<Job> due(NavigableSet<Job> index, Function<Job, Instant> at, Instant now, int limit,
                                 Predicate<Job> ok) {
        List<Job> out = new ArrayList<>();
        for (Job j : index) {
            if (at.apply(j).isAfter(now) || out.size() >= limit) {
                break;
            }
            if (ok.test(j)) {
                out.add(j);
            }
        }
        return out;
    }

    /** Up to {@code limit} QUEUED jobs of a list without a live lease at {@code now}, oldest first. */
    List<Job> claimable(String jobList, Instant now, int limit) {
        JobListIndex idx = lists.get(jobList);
        NavigableSet<Job> queued = idx == null ? null : idx.byPhase.get(Phase.QUEUED);
        if (queued == null || limit < 1) {
            return List.of();
        }
        List<Job> picked = new ArrayList<>();
        // oldest first: the list order is newest first
        for (Iterator<Job> it = queued.descendingIterator(); it.hasNext() && picked.size() < limit; ) {
            Job e = it.next();
            Lease l = e.lease();
            if (l == null || l.expiresAt().isBefore(now)) {
                picked.add(e);
            }
        }
        return picked;
    }

    /** Up to {@code limit} leased jobs (QUEUED, EXECUTING, SUSPENDED, HELD) whose lease expired before {@code now}. */
    List<Job> expiredLeases(Instant now, int limit) {
        List<Job> out = new ArrayList<>();
        for (JobListIndex idx : lists.values()) {
            for (Phase p : Set.of(Phase.QUEUED, Phase.EXECUTING, Phase.SUSPENDED, Phase.HELD)) {
                NavigableSet<Job> s = idx.byPhase.get(p);
                if (s == null) {
                    continue;
                }
                for (Job j : s) {
                    if (out.size() >= limit) {
                        return out;
                    }
                    if (j.lease() != null && j.lease().expiresAt().isBefore(now)) {
                        out.add(j);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Puts a new job in the map and every index, unless a job with its id is stored (then nothing changes): one
     * lookup of the id instead of a get and a put.
     *
     * @return false if a job with the id was already stored
     */
    boolean insert(Job job) {
        if (jobs.putIfAbsent(job.jobId(), job) != null) {
            return false;
        }
        indexSets(job);
        return true;
    }

    /** Replaces the snapshot {@code old} (if not null) by {@code job} in the map and every index. */
    void replace(Job old, Job job) {
        if (old != null) {
            unindex(old);
        }
        index(job);
    }

    /**
     * Puts the snapshot in the map and in every index. The index sets hold the snapshots themselves, ordered by
     * what never changes in a job's life (creation time, job id) or by the instant they are indexed for, so a job
     * costs its snapshot and one tree entry per index, with no key objects beside it; an update takes the old
     * snapshot out ({@link #unindex}) and puts the new one in.
     */
    private void index(Job job) {
        jobs.put(job.jobId(), job);
        indexSets(job);
    }

    /** Puts the snapshot in every index set and counter (not in the map). */
    private void indexSets(Job job) {
        JobListIndex idx = lists.computeIfAbsent(job.jobList(), x -> new JobListIndex());
        idx.all.add(job);
        idx.phase(job.phase()).add(job);
        idx.owner(job.ownerId()).add(job);
        count(idx, job, 1);
        if (job.destruction() != null && job.phase() != Phase.ARCHIVED) {
            destructions.add(job);
        }
        if (job.deadline().isPresent()) {
            deadlines.add(job);
        }
    }

    /** Takes the snapshot out of the map and every index. */
    void unindex(Job job) {
        jobs.remove(job.jobId());
        JobListIndex idx = lists.get(job.jobList());
        idx.all.remove(job);
        idx.phase(job.phase()).remove(job);
        NavigableSet<Job> owned = idx.owner(job.ownerId());
        owned.remove(job);
        if (owned.isEmpty()) {
            idx.byOwner.remove(ownerKey(job.ownerId()));
        }
        count(idx, job, -1);
        if (job.destruction() != null) {
            destructions.remove(job);
        }
        if (job.deadline().isPresent()) {
            deadlines.remove(job);
        }
    }
}
