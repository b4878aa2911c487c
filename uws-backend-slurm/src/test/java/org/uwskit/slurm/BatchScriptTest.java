package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobDefinition;
import org.uwskit.Parameter;
import org.uwskit.slurm.internal.Processes;
import org.uwskit.slurm.internal.WorkDir;
import org.uwskit.spi.JobTemplate;
import org.uwskit.testkit.RecordingEvents;

/**
 * The generated batch script, run by bash here (as slurmd would run it, from the working directory): values with
 * every shell metacharacter arrive verbatim as arguments, variables and files, and never appear in the script.
 */
class BatchScriptTest {
    static final String NASTY = "$(touch pwned) `touch pwned2` ; rm -rf . | cat > x \"'\\ * ? ~ $HOME {a,b}\n\t\u2603";

    static JobTemplate job(List<Parameter> params) {
        JobDefinition def = JobDefinition.builder("t").build();
        return new JobTemplate("job1", "l", def, "o", def.validate(params), params, 60, null);
    }

    @Test
    void valuesArriveVerbatimAndNeverInTheScript(@TempDir Path dir) throws Exception {
        SlurmJobType type = SlurmJobType.builder("/bin/sh")
                .args("-c", "printf '%s' \"$1\" > a.txt; printf '%s' \"$2\" > b.txt; printf '%s' \"$V\" > v.txt", "sh")
                .argFromParameter("X").argFromParameter("EMPTY").envFromParameter("V", "X")
                .fileFromParameter("f.txt", "X").build();
        WorkDir w = new WorkDir(dir);
        w.prepare(type, job(List.of(Parameter.of("X", NASTY), Parameter.of("EMPTY", ""))), new RecordingEvents());
        String script = Files.readString(w.script());
        assertThat(script).isEqualTo(WorkDir.SCRIPT).doesNotContain("touch");
        // slurmd starts the script in the working directory; here the test does, through a sub-shell
        Processes.Outcome o = Processes.run(List.of("bash", "-c", "cd \"$1\" && exec bash .uws/job.sh", "x", dir.toString()), Map.of(),
                Duration.ofSeconds(10));
        assertThat(o.exitCode()).as(o.message()).isZero();
        assertThat(Files.readString(dir.resolve("a.txt"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        assertThat(Files.readString(dir.resolve("b.txt"))).isEmpty();
        assertThat(Files.readString(dir.resolve("v.txt"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        assertThat(Files.readString(dir.resolve("f.txt"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
    }

    @Test
    void aMissingParameterOrANulByteIsRefusedWithAMessage(@TempDir Path dir) {
        SlurmJobType type = SlurmJobType.builder("/bin/echo").argFromParameter("X").build();
        assertThatThrownBy(() -> new WorkDir(dir).prepare(type, job(List.of()), new RecordingEvents()))
                .hasMessageContaining("parameter X has no value");
        assertThatThrownBy(() -> new WorkDir(dir).prepare(type, job(List.of(Parameter.of("X", "a\0b"))),
                new RecordingEvents())).hasMessageContaining("NUL");
    }

    @Test
    void jobTypesRefuseUnsafeFileNamesAndVariableNames() {
        assertThatThrownBy(() -> SlurmJobType.builder("x").output("../etc/passwd", null))
                .hasMessageContaining("file name");
        assertThatThrownBy(() -> SlurmJobType.builder("x").output("stdout", null)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> SlurmJobType.builder("x").envFromParameter("A-B", "X"))
                .hasMessageContaining("variable name");
    }
}
