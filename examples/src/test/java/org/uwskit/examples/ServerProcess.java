package org.uwskit.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example server's shaded jar run as a child process, for tests that need a real JVM to stop or kill (clean
 * shutdown on SIGTERM, crash recovery). {@link #start} waits, bounded, for the {@code ready} line and reads the
 * printed job list URLs; the process's output (stdout and stderr merged) is kept for failure messages.
 * {@link #close()} stops it with SIGTERM, then kills it if it does not end in time.
 */
public final class ServerProcess implements AutoCloseable {
    /** How long the server may take to print {@code ready}. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How long a SIGTERM may take before the process is killed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private static final Pattern JOB_LIST = Pattern.compile("^job list (\\S+): (\\S+)$");
    private static final Pattern BASE = Pattern.compile("^uwskit example server at (\\S+)$");
    private static final Pattern STORE = Pattern.compile("^store: (.*)$");
    private static final Pattern NODE = Pattern.compile("engine node (\\S+),");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final Map<String, URI> jobLists = new LinkedHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private volatile URI baseUri;
    private volatile String store;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "server-process-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The shaded jar built by {@code mvn package}; the failsafe configuration passes its path. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("uwskit.examples.jar", "target/uwskit-examples.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the example server jar " + jar.toAbsolutePath()
                    + " is missing: run mvn package (or verify) in examples first");
        }
        return jar;
    }

    /** Runs the jar with these arguments and returns at once (it may still be starting). */
    public static ServerProcess launch(List<String> args) throws IOException {
        return launch(args, Map.of());
    }

    /** Runs the jar with these arguments and extra environment variables, and returns at once. */
    public static ServerProcess launch(List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ServerProcess(pb.start());
    }

    /**
     * Runs the jar on an ephemeral port of 127.0.0.1 and waits until it prints {@code ready}.
     *
     * @param dataDir   the {@code --data} directory
     * @param extraArgs more options (e.g. {@code --users FILE})
     * @throws IllegalStateException with the process output if it exits or does not get ready in time
     */
    public static ServerProcess start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        return start(dataDir, Map.of(), extraArgs);
    }

    /** As {@link #start(Path, String...)}, with extra environment variables for the server. */
    public static ServerProcess start(Path dataDir, Map<String, String> env, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data", dataDir.toString()));
        args.addAll(List.of(extraArgs));
        ServerProcess p = launch(args, env);
        if (!p.ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.kill();
            throw new IllegalStateException("the example server did not print 'ready' within " + START_TIMEOUT
                    + "; output:\n" + p.output());
        }
        if (p.baseUri == null) {
            p.kill();
            throw new IllegalStateException("the example server ended before it was ready; output:\n" + p.output());
        }
        return p;
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = JOB_LIST.matcher(line);
                if (m.matches()) {
                    jobLists.put(m.group(1), URI.create(m.group(2)));
                }
                Matcher b = BASE.matcher(line);
                if (b.matches()) {
                    baseUri = URI.create(b.group(1));
                }
                Matcher st = STORE.matcher(line);
                if (st.matches()) {
                    store = st.group(1);
                }
                if (line.startsWith("ready")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.add("(reading the output failed: " + e + ")");
            }
        } finally {
            ready.countDown();
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The printed {@code store:} line's text (store, table, engine node, lease), or null before it was printed. */
    public String store() {
        return store;
    }

    /** The engine node id printed in the {@code store:} line. */
    public String nodeId() {
        Matcher m = NODE.matcher(String.valueOf(store));
        if (!m.find()) {
            throw new IllegalStateException("no engine node in the store line '" + store + "'; output:\n" + output());
        }
        return m.group(1);
    }

    /** The printed job list URLs by name ({@code demo}, {@code wordcount}, {@code tap}). */
    public Map<String, URI> jobLists() {
        return Map.copyOf(jobLists);
    }

    public Process process() {
        return process;
    }

    /**
     * Waits, bounded, for the process to exit and its output to be read to the end.
     *
     * @return the exit code
     * @throws IllegalStateException if it does not end within {@code timeout}
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the process did not exit within " + timeout + "; output:\n" + output());
        }
        reader.join(timeout.toMillis());
        return process.exitValue();
    }

    /** Everything the process printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Sends SIGTERM and waits for the exit.
     *
     * @return the exit code
     * @throws IllegalStateException if it did not end within {@link #STOP_TIMEOUT} (it is then killed)
     */
    public int stop() throws InterruptedException {
        // the handle only signals; Process.destroy() would also close our end of the output pipe
        process.toHandle().destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("the example server did not stop within " + STOP_TIMEOUT
                    + " of SIGTERM; output:\n" + output());
        }
        reader.join(STOP_TIMEOUT.toMillis());
        return process.exitValue();
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits for it to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the process if it still runs (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
