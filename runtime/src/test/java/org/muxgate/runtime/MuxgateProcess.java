package org.muxgate.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * bin/muxgate of a private copy of the distribution, run as a real process, its
 * stdout and stderr merged into lines that a test waits for.
 */
final class MuxgateProcess implements AutoCloseable {

    /** Long enough for a busy 2-core machine: waits end as soon as the line is there. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    /** The distribution the build assembled (target/muxgate). */
    static final Path DISTRIBUTION = Path.of(System.getProperty("muxgate.dist"));

    final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private MuxgateProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "muxgate output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Copies the distribution to {@code home}, leaving out the data of earlier runs. */
    static Path copyDistribution(Path home) throws IOException {
        Path data = DISTRIBUTION.resolve("data");
        try (Stream<Path> paths = Files.walk(DISTRIBUTION)) {
            for (Path from : (Iterable<Path>) paths.filter(p -> !p.startsWith(data))::iterator) {
                Path to = home.resolve(DISTRIBUTION.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    // COPY_ATTRIBUTES keeps bin/muxgate executable.
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return home;
    }

    static ProcessBuilder command(Path home, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("muxgate").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().remove("JAVA_OPTS");
        return builder;
    }

    static MuxgateProcess start(Path home, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder builder = command(home, List.of(args)).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new MuxgateProcess(builder.start());
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // close() closed the stream: the output ends here.
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** @return the first line matching {@code regex} (found anywhere in the line), waiting for it */
    synchronized String awaitLine(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int seen = 0;; ) {
            for (; seen < lines.size(); seen++) {
                if (pattern.matcher(lines.get(seen)).find()) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                fail("no line matching '" + regex + "' " + (ended ? "before the output ended" : "within " + DEADLINE)
                        + "; output:\n" + output());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Sends SIGTERM and waits for the exit; then {@link #output()} is complete. */
    int terminate() throws InterruptedException {
        // Process.destroy() would also close the output streams, losing the last lines.
        process.toHandle().destroy();
        return awaitExit();
    }

    /** Waits for the process to exit; then {@link #output()} is complete. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            fail("still running after " + DEADLINE + "; output:\n" + output());
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        synchronized (this) {
            while (!ended && deadline - System.nanoTime() > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
            }
        }
        return process.exitValue();
    }

    synchronized String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
