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
 * {@code JobId}, {@code JobState} and {@code ExitCode} (code:signal) are read, each found by its own pattern, so a
 * job name with blanks does not confuse it. Read only when a job is missing from the queue, which is rare.
 */
public final class JobCompLog {
    private static final Pattern ID = Pattern.compile("(?:^|\\s)JobId=(\\d+)\\s");
    private static final Pattern STATE = Pattern.compile("\\sJobState=(\\S+)");
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
        Set<String> wanted = new HashSet<>(jobIds);
        Map<String, JobInfo> out = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher id = ID.matcher(line);
                if (!id.find() || !wanted.contains(id.group(1))) {
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
                out.put(id.group(1), new JobInfo(id.group(1), SlurmStates.drmaaState(base, null), base, null,
                        signal == null ? code : null, signal));
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }
}
