package org.uwskit.slurm.drmaa;

import java.util.Map;
import java.util.Objects;

/**
 * What to submit to the scheduler (DRMAA2's {@code drmaa2_jtemplate}, the fields this backend uses). Immutable.
 * Everything a client sent arrives in files of the working directory, never in this template's text: the script is
 * fixed text written by the backend.
 *
 * @param jobName          the job's name in the scheduler (letters, digits, {@code ._-} only)
 * @param script           the batch script, whole (the first line is its interpreter)
 * @param scriptPath       where the script was written (the command transport submits this file)
 * @param workingDirectory the job's working directory, on a file system the service and the nodes share
 * @param outputPath       the file for standard output
 * @param errorPath        the file for standard error
 * @param environment      the environment the job starts with (nothing of the submitting process leaks in)
 * @param queueName        the partition, or null for the cluster's default
 * @param account          the account, or null
 * @param qos              the quality of service, or null
 * @param minSlots         CPUs for the job (at least 1)
 * @param minPhysMemoryMb  memory per node in MiB, or 0 for the partition's default
 * @param wallclockMinutes the time limit in whole minutes (SLURM's unit), or 0 for none
 * @param warningSignal    seconds before the time limit at which the script gets SIGUSR2, or 0 for none
 * @param rerunnable       whether SLURM may requeue it (false: {@code --no-requeue})
 * @param submitAsHold     whether it is submitted held
 */
public record JobTemplate(String jobName, String script, String scriptPath, String workingDirectory,
                          String outputPath, String errorPath, Map<String, String> environment, String queueName,
                          String account, String qos, int minSlots, long minPhysMemoryMb, long wallclockMinutes,
                          int warningSignal, boolean rerunnable, boolean submitAsHold) {

    /** Copies the environment; checks the required fields. */
    public JobTemplate {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        if (minSlots < 1) {
            throw new IllegalArgumentException("minSlots must be at least 1");
        }
    }
}
