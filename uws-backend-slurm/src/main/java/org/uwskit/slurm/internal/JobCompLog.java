package org.uwskit.slurm.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.SlurmStates;

/**
 * Reads SLURM's job completion log ({@code JobCompType=jobcomp/filetxt}), where the final state of a job stays after
 * slurmctld forgot it (MinJobAge). One line per job, {@code Key=value} pairs without escaping: only the keys
 * {@code JobId}, {@code Name}, {@code JobState} and {@code ExitCode} (code:signal) are read, each found by its own pattern, so a
 * job name with blanks does not confuse it. Read only when a job is missing from the queue, which is rare.
 */
public final class JobCompLog {
    private static final Pattern ID = Pattern.compile("(?:^|\\s)JobId=(\\d+)\\s");
    private static final Pattern STATE = Pattern.compile("\\sJobState=(\\S+)");
    private static final Pattern NAME = Pattern.compile("\\sName=(\\S+)\\s");
    private static final Pattern EXIT = Pattern.compile("\\sExitCode=(\\d+):(\\d+)");

    private final Path file;

    /** @param file the log file */
    public JobCompLog(Path file) {
        this.file = file;
    }

    /**
     * The final states of some jobs.
     *
     * @param jobIds the ids
     * @return the jobs found in the log (the last line of an id wins), by id
     * @throws IOException if the log exists but cannot be read
     */
    public Map<String, JobInfo> find(Collection<String> jobIds) throws IOException {
        return read(new HashSet<>(jobIds), false);
    }

    /**
     * The final states of the jobs of some names (names without blanks, as this backend gives its jobs).
     *
     * @param jobNames the job names
     * @return the jobs found in the log by name (the last line of a name wins; its info names the job id)
     * @throws IOException if the log exists but cannot be read
     */
    public Map<String, JobInfo> findByName(Collection<String> jobNames) throws IOException {
        return read(new HashSet<>(jobNames), true);
    }

    private Map<String, JobInfo> read(Set<String> wanted, boolean byName) throws IOException {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher id = ID.matcher(line);
                if (!id.find()) {
                    continue;
                }
                String key = id.group(1);
                if (byName) {
                    Matcher n = NAME.matcher(line);
                    key = n.find() ? n.group(1) : null;
                }
                if (key == null || !wanted.contains(key)) {
                    continue;
                }
                Matcher st = STATE.matcher(line);
                if (!st.find()) {
                    continue;
                }
                Matcher ex = EXIT.matcher(line);
                Integer code = null;
                Integer signal = null;
                if (ex.find()) {
                    code = Integer.valueOf(ex.group(1));
                    int s = Integer.parseInt(ex.group(2));
                    signal = s == 0 ? null : s;
                }
                String base = SlurmStates.baseState(st.group(1));
                out.put(key, new JobInfo(id.group(1), SlurmStates.drmaaState(base, null), base, null,
                        signal == null ? code : null, signal));
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }
}
