package org.uwskit;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The UWS 1.1 job-list filters (§2.2.2.1), combined by AND, plus the owner and the job list.
 *
 * <p>Semantics: {@code phases} empty means every phase except ARCHIVED; a non-empty set is the union of those
 * phases (ARCHIVED only when named). {@code after} keeps jobs whose creationTime is strictly after it. {@code last}
 * keeps the n newest after the other filters applied. Results are always ordered by creationTime descending, then
 * jobId descending (a total order, used for keyset paging).
 *
 * @param jobList the job list name (required)
 * @param ownerId the owner whose jobs to list; null with {@code allOwners} false means anonymous jobs only
 * @param allOwners list every owner's jobs (admin)
 * @param phases  the phases wanted; empty = all but ARCHIVED
 * @param after   exclusive lower bound on creationTime, or null
 * @param last    at most this many jobs (> 0), or null for all
 */
public record JobFilter(String jobList, String ownerId, boolean allOwners, Set<Phase> phases, Instant after, Integer last) {
    public JobFilter {
        java.util.Objects.requireNonNull(jobList, "jobList");
        phases = phases == null || phases.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(phases));
        if (last != null && last <= 0) {
            throw new IllegalArgumentException("LAST must be a positive integer");
        }
    }

    /** Every non-archived job of every owner in the list. */
    public static JobFilter all(String jobList) {
        return new JobFilter(jobList, null, true, Set.of(), null, null);
    }

    /** Whether a job matches the phase, owner and after filters (not {@code last}, which is positional). */
    public boolean matches(JobRef job) {
        if (phases.isEmpty() ? job.phase() == Phase.ARCHIVED : !phases.contains(job.phase())) {
            return false;
        }
        if (!allOwners && !java.util.Objects.equals(ownerId, job.ownerId())) {
            return false;
        }
        return after == null || job.creationTime().isAfter(after);
    }

    public JobFilter withPhases(Set<Phase> p) {
        return new JobFilter(jobList, ownerId, allOwners, p, after, last);
    }

    public JobFilter withAfter(Instant a) {
        return new JobFilter(jobList, ownerId, allOwners, phases, a, last);
    }

    public JobFilter withLast(Integer l) {
        return new JobFilter(jobList, ownerId, allOwners, phases, after, l);
    }

    public JobFilter withOwner(String owner) {
        return new JobFilter(jobList, owner, false, phases, after, last);
    }
}
