package org.muxgate.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.net.URI;
import java.util.EnumSet;

import javax.inject.Inject;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.MavenUtils;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Feature {@code muxgate} installs in Apache Karaf: its bundles start and the scheduler
 * service is registered. Karaf 4.4 does not start on JDK 25: the build skips this test
 * there (profile no-karaf-on-jdk25).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MuxgateFeatureKarafIT {

    private static final String FEATURE = "muxgate";

    /** Named, not imported: the test probe resolves before the feature brings the API in. */
    private static final String SCHEDULER_SERVICE = "org.muxgate.api.scheduler.Scheduler";

    /** Hands the features repository's URL, known on the build's side, to the test in Karaf. */
    private static final String FEATURES_REPOSITORY_PROPERTY = "muxgate.features.repository";

    private static final String PAX_URL_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    /** Generous: the build machine has 2 cores and may be running other builds. */
    private static final long TIMEOUT_MILLIS = 60_000;

    @Inject
    private FeaturesService featuresService;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        String karafVersion = MavenUtils.getArtifactVersion("org.apache.karaf", "apache-karaf");
        String featuresRepository = maven("org.muxgate", "muxgate-features")
                .classifier("features").type("xml").versionAsInProject().getURL();
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf")
                                .type("tar.gz").versionAsInProject())
                        .unpackDirectory(new File("target/karaf"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                // Karaf's own pax-url resolves the features and bundles: the same repositories
                // as the build's test JVM (failsafe's system properties), nothing else.
                editConfigurationFilePut(PAX_URL_CFG, "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                editConfigurationFilePut(PAX_URL_CFG, "org.ops4j.pax.url.mvn.repositories",
                        System.getProperty("org.ops4j.pax.url.mvn.repositories")),
                editConfigurationFilePut(PAX_URL_CFG, "org.ops4j.pax.url.mvn.useFallbackRepositories", "false"),
                systemProperty(FEATURES_REPOSITORY_PROPERTY).value(featuresRepository),
                systemProperty("pax.exam.service.timeout").value(String.valueOf(TIMEOUT_MILLIS)),
                vmOptions(java17Options(karafVersion)));
    }

    /**
     * What bin/karaf passes to Java 9 and later, where the Karaf launcher of Pax Exam does not:
     * without it Karaf fails with NoClassDefFoundError on OsgiLocator. Paths are relative to
     * the Karaf home, the Karaf JVM's working directory.
     */
    private static String[] java17Options(String karafVersion) {
        return new String[] {
            "--add-reads=java.xml=java.logging",
            "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
            "--patch-module=java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
            "--patch-module=java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
            "--add-opens=java.base/java.security=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED",
            "--add-opens=java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
            "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
            "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
            "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
        };
    }

    @Test
    public void featureInstallsAndStartsTheScheduler() throws Exception {
        featuresService.addRepository(URI.create(System.getProperty(FEATURES_REPOSITORY_PROPERTY)));
        // A refresh would restart the bundles wired to what the feature adds, this probe among them.
        featuresService.installFeature(FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));

        Feature feature = featuresService.getFeature(FEATURE);
        assertTrue(featuresService.isInstalled(feature));
        assertFalse("feature " + FEATURE + " has no bundle", feature.getBundles().isEmpty());
        for (BundleInfo info : feature.getBundles()) {
            Bundle bundle = context.getBundle(info.getLocation());
            assertNotNull(info.getLocation() + " not installed", bundle);
            assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
        }

        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + SCHEDULER_SERVICE + ")"), null);
        tracker.open();
        try {
            assertNotNull("no " + SCHEDULER_SERVICE + " service",
                    tracker.waitForService(TIMEOUT_MILLIS));
            ServiceReference<Object> reference = tracker.getServiceReference();
            assertEquals("org.muxgate.scheduler", reference.getBundle().getSymbolicName());
        } finally {
            tracker.close();
        }
    }
}
