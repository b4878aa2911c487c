package org.uwskit.spi;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.uwskit.Job;
import org.uwskit.Parameter;
import org.uwskit.Phase;

/**
 * What one owner holds in one job list, as {@link JobStore#ownerUsage} counts it for the quotas
 * ({@link org.uwskit.Quotas}). ARCHIVED jobs are not counted.
 *
 * @param storedJobs  the owner's jobs in every phase but ARCHIVED
 * @param activeJobs  the owner's jobs in QUEUED, EXECUTING, HELD or SUSPENDED
 * @param uploadBytes the sum of {@link #uploadBytesOf} over the owner's jobs but ARCHIVED ones
 */
public record OwnerUsage(long storedJobs, long activeJobs, long uploadBytes) {

    /** Nothing stored. */
    public static final OwnerUsage NONE = new OwnerUsage(0, 0, 0);

    /** The phases counted as active: QUEUED, EXECUTING, HELD, SUSPENDED (the job holds or awaits a worker). */
    public static final Set<Phase> ACTIVE_PHASES = Collections.unmodifiableSet(
            EnumSet.of(Phase.QUEUED, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED));

    /**
     * The bytes of a job's uploads: the sum of {@link Parameter.Upload#size()} over its uploaded parameters (an
     * upload named by several parameters counts once per parameter that carries its size).
     *
     * @param job a job
     * @return the upload bytes the job holds (0 without uploads)
     */
    public static long uploadBytesOf(Job job) {
        long n = 0;
        for (Parameter p : job.parameters()) {
            if (p.upload() != null && p.upload().size() > 0) {
                n += p.upload().size();
            }
        }
        return n;
    }
}
