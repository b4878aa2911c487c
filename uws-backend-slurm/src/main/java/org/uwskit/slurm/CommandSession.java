package org.uwskit.slurm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.slurm.internal.Processes;
import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * Reaches SLURM through its commands: {@code sbatch --parsable} to submit, one {@code squeue} for the states of all
 * asked jobs, {@code scancel}, and {@code scontrol hold|release|suspend|resume}. Each call starts one process
 * (about 10 ms on a small machine, almost all of it process start). Arguments go to the process as a list, never
 * through a shell. Thread-safe; holds nothing to close.
 *
 * <p>The commands are found in {@code binDirectory} (default: on the service's {@code PATH}) and read the
 * cluster's configuration as usual ({@code SLURM_CONF} of the environment, or {@code /etc/slurm/slurm.conf}).
 */
public final class CommandSession implements JobSession {
    /** The default bound on every command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The most job ids given to one {@code squeue} (a longer list is asked in several calls). */
    public static final int IDS_PER_SQUEUE = 5_000;

    private final String bin;
    private final Map<String, String> env;
    private final Duration timeout;

    private CommandSession(String binDirectory, Map<String, String> env, Duration timeout) {
        this.bin = binDirectory == null ? "" : binDirectory.endsWith("/") ? binDirectory : binDirectory + "/";
        this.env = Map.copyOf(env);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** @return a session using the commands on the service's PATH, with the default timeout */
    public static CommandSession onPath() {
        return new CommandSession(null, Map.of(), DEFAULT_TIMEOUT);
    }

    /**
     * A session with the commands of one directory.
     *
     * @param binDirectory where {@code sbatch} and the others are, or null for the PATH
     * @param env          variables added to the commands' environment (for instance {@code SLURM_CONF})
     * @param timeout      the bound on each command
     * @return the session
     */
    public static CommandSession of(String binDirectory, Map<String, String> env, Duration timeout) {
        return new CommandSession(binDirectory, env, timeout);
    }

    @Override
    public String name() {
        return "commands";
    }

    @Override
    public String runJob(JobTemplate t) throws BackendException {
        List<String> argv = new ArrayList<>();
        argv.add(bin + "sbatch");
        argv.addAll(sbatchOptions(t));
        argv.add(t.scriptPath());
        Processes.Outcome o = run(argv);
        if (o.exitCode() != 0) {
            if (UnreachableException.saysUnreachable(o.message())) {
                throw new UnreachableException("SLURM cannot be reached: " + o.message());
            }
            throw new BackendException("SLURM refused the job: " + o.message());
        }
        String id = o.out().strip();
        int semi = id.indexOf(';'); // "id;cluster" on multi-cluster setups
        id = semi >= 0 ? id.substring(0, semi) : id;
        if (!id.matches("[0-9]+")) {
            throw new BackendException("sbatch gave no job id: " + o.message());
        }
        return id;
    }

    /**
     * The {@code sbatch} options of a template, one option per element.
     *
     * @param t the template
     * @return the options, without the script path
     */
    static List<String> sbatchOptions(JobTemplate t) {
        List<String> o = new ArrayList<>(List.of("--parsable", "--job-name=" + t.jobName(),
                "--chdir=" + t.workingDirectory(), "--output=" + t.outputPath(), "--error=" + t.errorPath(),
                "--export=NONE", "--cpus-per-task=" + t.minSlots()));
        if (t.queueName() != null) {
            o.add("--partition=" + t.queueName());
        }
        if (t.account() != null) {
            o.add("--account=" + t.account());
        }
        if (t.qos() != null) {
            o.add("--qos=" + t.qos());
        }
        if (t.minPhysMemoryMb() > 0) {
            o.add("--mem=" + t.minPhysMemoryMb());
        }
        if (t.wallclockMinutes() > 0) {
            o.add("--time=" + t.wallclockMinutes());
        }
        if (t.warningSignal() > 0) {
            o.add("--signal=B:USR2@" + t.warningSignal());
        }
        o.add(t.rerunnable() ? "--requeue" : "--no-requeue");
        if (t.submitAsHold()) {
            o.add("--hold");
        }
        return o;
    }

    @Override
    public Map<String, JobInfo> jobInfos(Collection<String> jobIds) throws BackendException {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(jobIds);
        for (int from = 0; from < ids.size(); from += IDS_PER_SQUEUE) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + IDS_PER_SQUEUE));
            Processes.Outcome o = run(List.of(bin + "squeue", "--noheader", "--states=all",
                    "--jobs=" + String.join(",", part), "--Format=JobID:|,State:|,Reason:|,exit_code:|"));
            if (o.exitCode() != 0) {
                if (o.err().contains("Invalid job id")) {
                    continue; // every asked id is unknown (a single unknown id makes squeue fail)
                }
                throw failure("squeue", o);
            }
            parseSqueue(o.out(), out);
        }
        return out;
    }

    /** One {@code squeue --name=a,b,...} for all names (job names hold no comma: letters, digits, {@code ._-}). */
    @Override
    public Map<String, List<String>> jobIdsByName(Collection<String> jobNames) throws BackendException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(jobNames);
        for (int from = 0; from < names.size(); from += IDS_PER_SQUEUE) {
            List<String> part = names.subList(from, Math.min(names.size(), from + IDS_PER_SQUEUE));
            Processes.Outcome o = run(List.of(bin + "squeue", "--noheader", "--states=all",
                    "--name=" + String.join(",", part), "--Format=JobID:|,Name:|"));
            if (o.exitCode() != 0) {
                throw failure("squeue", o);
            }
            for (String line : o.out().split("\n")) {
                String[] f = line.split("\\|", -1);
                if (f.length >= 2 && !f[0].isBlank() && part.contains(f[1].strip())) {
                    out.computeIfAbsent(f[1].strip(), k -> new ArrayList<>()).add(f[0].strip());
                }
            }
        }
        out.values().forEach(ids -> ids.sort(java.util.Comparator.comparingInt(String::length)
                .thenComparing(java.util.Comparator.naturalOrder())));
        return out;
    }

    private static BackendException failure(String command, Processes.Outcome o) {
        return UnreachableException.saysUnreachable(o.message())
                ? new UnreachableException("SLURM cannot be reached: " + o.message())
                : new BackendException(command + " failed: " + o.message());
    }

    /** Parses {@code squeue -O JobID:|,State:|,Reason:|,exit_code:|} lines into {@code out}. */
    static void parseSqueue(String text, Map<String, JobInfo> out) {
        for (String line : text.split("\n")) {
            String[] f = line.split("\\|", -1);
            if (f.length < 4 || f[0].isBlank()) {
                continue;
            }
            Integer wait = null;
            try {
                wait = Integer.valueOf(f[3].strip());
            } catch (NumberFormatException e) {
                // N/A while pending
            }
            String id = f[0].strip();
            out.put(id, JobInfo.fromSlurm(id, f[1].strip(), f[2].strip(), wait));
        }
    }

    @Override
    public void terminate(String jobId) throws BackendException {
        Processes.Outcome o = run(List.of(bin + "scancel", jobId));
        if (o.exitCode() != 0 && !o.err().contains("Invalid job id") && !o.err().contains("already completing")
                && !o.err().contains("completed")) {
            throw failure("scancel", o);
        }
    }

    @Override
    public void hold(String jobId) throws BackendException {
        scontrol("hold", jobId);
    }

    @Override
    public void release(String jobId) throws BackendException {
        scontrol("release", jobId);
    }

    @Override
    public void suspend(String jobId) throws BackendException {
        scontrol("suspend", jobId);
    }

    @Override
    public void resume(String jobId) throws BackendException {
        scontrol("resume", jobId);
    }

    private void scontrol(String verb, String jobId) throws BackendException {
        Processes.Outcome o = run(List.of(bin + "scontrol", verb, jobId));
        if (o.exitCode() != 0) {
            throw failure("scontrol " + verb, o);
        }
    }

    private Processes.Outcome run(List<String> argv) throws BackendException {
        try {
            return Processes.run(argv, env, timeout);
        } catch (IOException e) {
            throw new UnreachableException("SLURM cannot be reached: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String toString() {
        return "CommandSession[" + (bin.isEmpty() ? "PATH" : bin) + "]";
    }
}
