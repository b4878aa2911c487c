package org.uwskit.slurm;

import java.util.Set;

/**
 * What the service lets any job ask of the cluster: a job type or a client asking for more is refused at submission
 * (the job ends in ERROR with a message saying which limit), never silently shrunk.
 *
 * @param maxCpus           the most CPUs of one job
 * @param maxMemoryMb       the most memory per node of one job, in MiB
 * @param maxMinutes        the longest time limit of one job, in minutes; also the limit of a job whose execution
 *                          duration is unlimited (0 = none)
 * @param partitions        the partitions jobs may use (empty = any)
 * @param defaultPartition  the partition of a job type that names none, or null for the cluster's default
 */
public record SlurmLimits(int maxCpus, long maxMemoryMb, long maxMinutes, Set<String> partitions,
                          String defaultPartition) {

    /** Copies the partitions; checks the numbers. */
    public SlurmLimits {
        partitions = Set.copyOf(partitions);
        if (maxCpus < 1 || maxMemoryMb < 0 || maxMinutes < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** @return 4 CPUs, 4 GiB, 24 hours, any partition, the cluster's default partition */
    public static SlurmLimits defaults() {
        return new SlurmLimits(4, 4096, 24 * 60, Set.of(), null);
    }
}
