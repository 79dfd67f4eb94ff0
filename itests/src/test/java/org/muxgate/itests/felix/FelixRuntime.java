package org.muxgate.itests.felix;

import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

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
}
