package org.muxgate.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Runs target/muxgate/bin/muxgate as a user would; each test on its own copy of the distribution. */
public class DistributionIT {

    private static final Pattern ALL_ACTIVE = Pattern.compile("muxgate \\S+: all (\\d+) bundles active in \\d+ ms");

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder(MuxgateProcess.DISTRIBUTION.getParent().toFile());

    private Path home;
    private MuxgateProcess muxgate;

    @Before
    public void copyDistribution() throws IOException {
        home = MuxgateProcess.copyDistribution(folder.newFolder("muxgate").toPath());
    }

    @After
    public void killMuxgate() {
        if (muxgate != null) {
            muxgate.close();
        }
    }

    /** The exit status, stdout and stderr of a bin/muxgate that is expected to exit by itself. */
    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        Path out = folder.newFile().toPath();
        Path err = folder.newFile().toPath();
        Process process = MuxgateProcess.command(home, List.of(args))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(MuxgateProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/muxgate " + String.join(" ", args) + " still running after "
                    + MuxgateProcess.DEADLINE);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    public void helpPrintsUsageOnStdout() throws Exception {
        Run run = run("-h");
        assertEquals(run.err(), 0, run.status());
        assertTrue(run.out(), run.out().startsWith("Usage: muxgate"));
        assertEquals("", run.err());
    }

    @Test
    public void unknownOptionPrintsUsageOnStderrAndExits2() throws Exception {
        Run run = run("--bogus");
        assertEquals(2, run.status());
        assertTrue(run.err(), run.err().contains("unknown option: --bogus"));
        assertTrue(run.err(), run.err().contains("Usage: muxgate"));
        assertEquals("", run.out());
    }

    @Test
    public void missingOptionArgumentExits2() throws Exception {
        Run run = run("-f");
        assertEquals(2, run.status());
        assertTrue(run.err(), run.err().contains("option -f needs a file name"));
    }

    @Test
    public void unreadableConfigurationFileExits1NamingIt() throws Exception {
        Run run = run("-f", "/nonexistent");
        assertEquals(1, run.status());
        assertTrue(run.err(), run.err().contains("/nonexistent"));
        assertEquals("", run.out());
    }

    @Test
    public void checkOfTheDefaultConfigurationExits0() throws Exception {
        Run run = run("-c");
        assertEquals(run.err(), 0, run.status());
        assertEquals("Configuration file is valid\n", run.out());
    }

    /** A file with several errors, each on its own line. */
    private Path invalidConfiguration() throws IOException {
        return Files.writeString(home.resolve("bad.cfg"), String.join("\n",
                "global",
                "  bogus 1",
                "frontend fe",
                "  bind 127.0.0.1:99999",
                "  default_backend nowhere",
                ""));
    }

    @Test
    public void checkPrintsEveryErrorWithItsLineAndExits1() throws Exception {
        Path bad = invalidConfiguration();
        Run run = run("-c", "-f", bad.toString());
        assertEquals(1, run.status());
        assertEquals("", run.out());
        assertTrue(run.err(), run.err().contains(bad + ":2: 'bogus'"));
        assertTrue(run.err(), run.err().contains(bad + ":4: 'bind'"));
        assertTrue(run.err(), run.err().contains(bad + ":5: 'default_backend'"));
    }

    @Test
    public void aConfigurationWithErrorsIsNotStarted() throws Exception {
        Path bad = invalidConfiguration();
        Run run = run("-f", bad.toString());
        assertEquals(1, run.status());
        assertTrue(run.err(), run.err().contains(bad + ":2: 'bogus'"));
        assertTrue(run.err(), run.err().contains("not started"));
        assertFalse(run.err(), run.err().contains("starting muxgate"));
    }

    @Test
    public void nbthreadOfTheConfigurationFileSetsTheWorkerThreads() throws Exception {
        Path config = Files.writeString(home.resolve("threads.cfg"), "global\n  nbthread 3\n");
        muxgate = MuxgateProcess.start(home, Map.of(), "-f", config.toString());
        muxgate.awaitLine("scheduler service registered: 3 threads");
        muxgate.awaitLine(ALL_ACTIVE.pattern());
        assertEquals(0, muxgate.terminate());
    }

    @Test
    public void anAddressThatCannotBeBoundStopsWithStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = Files.writeString(home.resolve("taken.cfg"), String.join("\n",
                    "defaults",
                    "  mode tcp",
                    "listen taken",
                    "  bind 127.0.0.1:" + taken.getLocalPort(),
                    "  server s1 127.0.0.1:1",
                    ""));
            muxgate = MuxgateProcess.start(home, Map.of(), "-f", config.toString());
            assertEquals(1, muxgate.awaitExit());
            assertTrue(muxgate.output(), muxgate.output().contains("frontend taken: cannot bind 127.0.0.1:"
                    + taken.getLocalPort()));
        }
    }

    @Test
    public void proxiesTcpToAServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            int frontendPort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                frontendPort = probe.getLocalPort();
            }
            Path config = Files.writeString(home.resolve("tcp.cfg"), String.join("\n",
                    "defaults",
                    "  mode tcp",
                    "  timeout connect 10s",
                    "  timeout client 1m",
                    "  timeout server 1m",
                    "listen echo",
                    "  bind 127.0.0.1:" + frontendPort,
                    "  server s1 127.0.0.1:" + server.getLocalPort(),
                    ""));
            muxgate = MuxgateProcess.start(home, Map.of(), "-f", config.toString());
            muxgate.awaitLine("1 frontends, 1 backends running");
            muxgate.awaitLine(ALL_ACTIVE.pattern());
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), frontendPort)) {
                client.setSoTimeout((int) MuxgateProcess.DEADLINE.toMillis());
                client.getOutputStream().write("ping".getBytes(UTF_8));
                server.setSoTimeout((int) MuxgateProcess.DEADLINE.toMillis());
                try (Socket accepted = server.accept()) {
                    assertEquals("ping", new String(accepted.getInputStream().readNBytes(4), UTF_8));
                    accepted.getOutputStream().write("pong".getBytes(UTF_8));
                    assertEquals("pong", new String(client.getInputStream().readNBytes(4), UTF_8));
                }
            }
            assertEquals(0, muxgate.terminate());
            assertStoppedWithoutWarnings(muxgate.output());
        }
    }

    @Test
    public void defaultConfigurationAnswersHttpOnPort8080() throws Exception {
        int port = 8080;
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException taken) {
            // Another program holds 8080 on this machine: the same default configuration on a free port.
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path cfg = home.resolve("etc").resolve("muxgate.cfg");
            String text = Files.readString(cfg);
            assertTrue(text, text.contains("bind 127.0.0.1:8080"));
            Files.writeString(cfg, text.replace("bind 127.0.0.1:8080", "bind 127.0.0.1:" + port));
        }
        muxgate = MuxgateProcess.start(home, Map.of());
        muxgate.awaitLine("1 frontends, 1 backends running");
        muxgate.awaitLine(ALL_ACTIVE.pattern());
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(MuxgateProcess.DEADLINE).build();
        java.net.http.HttpResponse<String> response;
        try {
            response = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(MuxgateProcess.DEADLINE).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new AssertionError("GET http://127.0.0.1:" + port + "/ failed; output:\n" + muxgate.output(), e);
        }
        assertEquals(200, response.statusCode());
        assertEquals("<html><body><h1>Muxgate is running</h1><p>This page is answered by the default configuration,"
                + " etc/muxgate.cfg.</p></body></html>", response.body());
        assertEquals(java.util.Optional.of("text/html"), response.headers().firstValue("content-type"));
        assertEquals(0, muxgate.terminate());
        assertStoppedWithoutWarnings(muxgate.output());
    }

    @Test
    public void startsEveryBundleAndStopsOnSigterm() throws Exception {
        muxgate = MuxgateProcess.start(home, Map.of());
        Matcher active = ALL_ACTIVE.matcher(muxgate.awaitLine(ALL_ACTIVE.pattern()));
        assertTrue(active.find());
        muxgate.awaitLine("scheduler service registered: \\d+ threads");

        assertEquals(0, muxgate.terminate());
        String output = muxgate.output();
        assertEquals(output, Integer.parseInt(active.group(1)), count(output, "] INFO Launcher - started bundle "));
        assertTrue(output, output.contains("started bundle org.apache.felix.scr "));
        assertTrue(output, output.contains("started bundle org.muxgate.scheduler "));
        assertStoppedWithoutWarnings(output);
    }

    @Test
    public void secondInstanceOfADistributionExits1() throws Exception {
        muxgate = MuxgateProcess.start(home, Map.of());
        muxgate.awaitLine(ALL_ACTIVE.pattern());
        Run second = run();
        assertEquals(1, second.status());
        assertTrue(second.err(), second.err().contains("is locked"));
        assertEquals(0, muxgate.terminate());
    }

    @Test
    public void configuresComponentsFromEtc() throws Exception {
        Files.writeString(home.resolve("etc").resolve("org.muxgate.scheduler.cfg"), "nbthread = 3\n");
        muxgate = MuxgateProcess.start(home, Map.of());
        muxgate.awaitLine("scheduler service registered: 3 threads");
        muxgate.awaitLine(ALL_ACTIVE.pattern());
        assertEquals(0, muxgate.terminate());
    }

    @Test
    public void hotDeploysAndUndeploysABundle() throws Exception {
        muxgate = MuxgateProcess.start(home, Map.of());
        muxgate.awaitLine(ALL_ACTIVE.pattern());

        // Written beside deploy/ and moved in whole, so that FileInstall never sees half a jar.
        Path jar = folder.newFile().toPath();
        writeBundle(jar, "org.muxgate.runtime.it.hotdeploy", "1.2.3");
        Path deployed = home.resolve("deploy").resolve("hotdeploy.jar");
        Files.move(jar, deployed, StandardCopyOption.ATOMIC_MOVE);
        muxgate.awaitLine("bundle org\\.muxgate\\.runtime\\.it\\.hotdeploy 1\\.2\\.3 STARTED");

        Files.delete(deployed);
        muxgate.awaitLine("bundle org\\.muxgate\\.runtime\\.it\\.hotdeploy 1\\.2\\.3 UNINSTALLED");
        assertEquals(0, muxgate.terminate());
    }

    @Test
    public void shellRunsCommandsAndStopsAtEndOfInput() throws Exception {
        // A relative -f names a file of the working directory; bundles get its absolute path.
        Path config = Files.writeString(home.resolve("other.cfg"), "global\n");
        muxgate = MuxgateProcess.start(home, Map.of(), "--shell", "-f", "other.cfg");
        muxgate.awaitLine(ALL_ACTIVE.pattern());
        try (OutputStream stdin = muxgate.process.getOutputStream()) {
            stdin.write("$.context getProperty muxgate.config.file\nlb\n".getBytes(UTF_8));
            stdin.flush();
            muxgate.awaitLine("(^|g! )" + Pattern.quote(config.toString()) + "$");
            muxgate.awaitLine("\\|Active +\\|.*\\|Muxgate scheduler");
        }
        assertEquals(0, muxgate.awaitExit());
        assertTrue(muxgate.output(), muxgate.output().endsWith("muxgate stopped"));
    }

    @Test
    public void startsOnJava25() throws Exception {
        Path java25 = Path.of(System.getProperty("muxgate.it.java25.home", ""));
        assumeTrue("no JDK 25 at " + java25, Files.isExecutable(java25.resolve("bin").resolve("java")));
        muxgate = MuxgateProcess.start(home, Map.of("JAVA_HOME", java25.toString()));
        muxgate.awaitLine("on Java 25");
        muxgate.awaitLine(ALL_ACTIVE.pattern());
        assertEquals(0, muxgate.terminate());
        assertStoppedWithoutWarnings(muxgate.output());
    }

    /** Also no JVM warning (WARNING: ...), such as JDK 24's about sun.misc.Unsafe. */
    private static void assertStoppedWithoutWarnings(String output) {
        assertTrue(output, output.endsWith("muxgate stopped"));
        assertFalse(output, Pattern.compile("\\] (WARN|ERROR) |^WARNING", Pattern.MULTILINE).matcher(output).find());
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    /** A bundle with nothing but a manifest: enough for FileInstall to install and start it. */
    private static void writeBundle(Path jar, String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
    }
}
