package org.muxgate.itests.felix;

import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.ops4j.pax.exam.MavenUtils;
import org.ops4j.pax.exam.Option;

/** The OSGi runtime every Felix test provisions: SCR, ConfigAdmin, Metatype, SLF4J, and our bundles. */
final class FelixRuntime {

    private FelixRuntime() {
    }

    /**
     * @param serviceTimeoutMillis how long an injected service may take to appear
     * @param muxgateBundles       artifact ids of ours to provision, from the reactor
     */
    static Option withBundles(long serviceTimeoutMillis, String... muxgateBundles) {
        String slf4j = MavenUtils.getArtifactVersion("org.slf4j", "slf4j-api");
        return composite(
                // SLF4J and its provider (slf4j-simple) stay on the class path, exported by the
                // system bundle twice: Pax Exam's bundles import it below 2, ours [1.7,3).
                systemPackages(
                        "org.slf4j;version=" + slf4j, "org.slf4j;version=1.7.36",
                        "org.slf4j.spi;version=" + slf4j, "org.slf4j.event;version=" + slf4j,
                        "org.slf4j.helpers;version=" + slf4j),
                systemProperty("pax.exam.service.timeout").value(String.valueOf(serviceTimeoutMillis)),
                // A bundle that does not resolve fails the test at once, with the reason logged.
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                composite(Arrays.stream(muxgateBundles)
                        .map(artifactId -> mavenBundle("org.muxgate", artifactId).versionAsInProject())
                        .toArray(Option[]::new)),
                junitBundles(),
                cleanCaches());
    }

    /**
     * A proxy test: our bundles, and a haproxy.cfg with frontend {@code fe} on a free
     * loopback port sending everything to backend {@code be}, whose one server is
     * another free loopback port, where the test runs its own server. The bundles
     * find the file through the framework property {@code muxgate.config.file}; the
     * test finds the ports in the system properties {@code itest.frontend.port} and
     * {@code itest.backend.port}. Runs in the test driver, before the framework.
     *
     * @param defaults the lines of the {@code defaults} section: mode and timeouts
     */
    static Option[] proxyTest(long serviceTimeoutMillis, String[] muxgateBundles, String... defaults)
            throws IOException {
        return proxyTestWithBind(serviceTimeoutMillis, muxgateBundles, "", defaults);
    }

    /**
     * A proxy test whose frontend's bind line has {@code bindOptions} too (such as
     * {@code proto h2}): see {@link #proxyTest(long, String[], String...)}.
     */
    static Option[] proxyTestWithBind(long serviceTimeoutMillis, String[] muxgateBundles, String bindOptions,
            String... defaults) throws IOException {
        int frontendPort = freePort();
        int backendPort = freePort();
        Path config = Files.createTempFile("muxgate-itest", ".cfg");
        config.toFile().deleteOnExit();
        Files.writeString(config, "defaults\n  " + String.join("\n  ", defaults) + "\n"
                + "frontend fe\n  bind 127.0.0.1:" + frontendPort + (bindOptions.isEmpty() ? "" : " " + bindOptions)
                + "\n  default_backend be\n"
                + "backend be\n  server s1 127.0.0.1:" + backendPort + "\n");
        return options(
                withBundles(serviceTimeoutMillis, muxgateBundles),
                systemProperty("itest.frontend.port").value(String.valueOf(frontendPort)),
                systemProperty("itest.backend.port").value(String.valueOf(backendPort)),
                frameworkProperty("muxgate.config.file").value(config.toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
