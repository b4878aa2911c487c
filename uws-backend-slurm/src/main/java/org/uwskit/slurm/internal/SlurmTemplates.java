package org.uwskit.slurm.internal;

import java.util.List;
import java.util.Map;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.slurm.SlurmLimits;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.JobTemplate;

/**
 * Turns a UWS job into what SLURM is given ({@link org.uwskit.slurm.drmaa.JobTemplate}), within the service's
 * {@link SlurmLimits}: CPUs, memory, partition and time above them are refused with a message, never shrunk; the
 * time limit is the execution duration rounded up to minutes, with the warning signal when the limit leaves room
 * for it. Immutable.
 */
public final class SlurmTemplates {
    private final SlurmLimits limits;
    private final int warningSeconds;

    /**
     * @param limits         what a job may ask
     * @param warningSeconds seconds between SIGUSR2 and the time limit (0: none)
     */
    public SlurmTemplates(SlurmLimits limits, int warningSeconds) {
        this.limits = limits;
        this.warningSeconds = warningSeconds;
    }

    /**
     * The SLURM side of a job, within the limits.
     *
     * @param type     its type
     * @param template the UWS job
     * @param dir      its working directory
     * @return what to submit, named by the job's marker
     * @throws BackendException if the job asks more than the limits allow (the message is for the client)
     */
    public org.uwskit.slurm.drmaa.JobTemplate of(SlurmJobType type, JobTemplate template, WorkDir dir)
            throws BackendException {
        int cpus = cpus(type, template);
        if (cpus > limits.maxCpus()) {
            throw new BackendException("job type " + template.jobType() + " asks " + cpus
                    + " CPUs; this service allows at most " + limits.maxCpus());
        }
        if (type.memoryMb() > limits.maxMemoryMb()) {
            throw new BackendException("job type " + template.jobType() + " asks " + type.memoryMb()
                    + " MiB of memory; this service allows at most " + limits.maxMemoryMb());
        }
        String partition = type.partition() != null ? type.partition() : limits.defaultPartition();
        if (partition != null && !limits.partitions().isEmpty() && !limits.partitions().contains(partition)) {
            throw new BackendException("partition " + partition + " is not one this service uses");
        }
        long minutes = template.executionDuration() > 0 ? (template.executionDuration() + 59) / 60
                : limits.maxMinutes();
        if (limits.maxMinutes() > 0 && minutes > limits.maxMinutes()) {
            throw new BackendException("the execution duration of " + template.executionDuration()
                    + " s is over this service's limit of " + limits.maxMinutes() + " minutes");
        }
        return new org.uwskit.slurm.drmaa.JobTemplate(Submissions.marker(template.jobId()),
                WorkDir.SCRIPT, dir.script().toString(), dir.path().toString(), dir.stdout().toString(),
                dir.stderr().toString(), Map.of("PATH", WorkDir.DEFAULT_PATH, "UWS_JOB_ID", template.jobId()),
                partition, type.account(), type.qos(), cpus, type.memoryMb(), minutes,
                warning(minutes), type.requeue(), false);
    }

    /**
     * The warning signal's lead for a time limit: SLURM may send it up to a minute early (its event resolution), so
     * a limit that is not above the lead plus two minutes gets none (the warning would kill a short job at once).
     */
    private int warning(long minutes) {
        return minutes > 0 && minutes * 60 >= warningSeconds + 120L ? warningSeconds : 0;
    }

    private static int cpus(SlurmJobType type, JobTemplate template) throws BackendException {
        if (type.cpusParameter() == null) {
            return type.cpus();
        }
        List<String> v = template.values(type.cpusParameter());
        if (v.isEmpty()) {
            return type.cpus();
        }
        try {
            int n = Integer.parseInt(v.get(0).strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BackendException("parameter " + type.cpusParameter() + " must be a positive whole number of"
                    + " CPUs");
        }
    }
}
