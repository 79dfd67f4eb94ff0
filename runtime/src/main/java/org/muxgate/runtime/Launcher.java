package org.muxgate.runtime;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.stream.Collectors.joining;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.apache.felix.framework.util.FelixConstants;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs the OSGi framework of a distribution: installs the bundles of {@code system/}
 * (and {@code shell/} with --shell), starts each after the bundles it is wired to, waits
 * for the scheduler service, then runs until the framework is asked to stop.
 */
final class Launcher {

    /** Framework property: the absolute path of the haproxy.cfg-format configuration file. */
    static final String CONFIG_FILE_PROPERTY = "muxgate.config.file";
    /** Framework property: the configuration file's {@code nbthread}, for the scheduler. */
    static final String NBTHREAD_PROPERTY = "muxgate.nbthread";
    /**
     * The service property of the launcher's fatal-error sink: a
     * {@code java.util.function.Consumer<String>} a bundle calls when Muxgate cannot
     * run as configured (an address that cannot be bound), as HAProxy exits then.
     */
    static final String FATAL_SINK_PROPERTY = "muxgate.fatal";

    private static final String SCHEDULER_SERVICE = "org.muxgate.api.scheduler.Scheduler";
    private static final long SCHEDULER_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final Path home;
    private final Path configFile;
    private final int nbthread;
    private final boolean debug;
    private final boolean shell;
    /** Held until the JVM exits: a lock that the garbage collector may not release. */
    private FileLock dataLock;
    /** The first fatal error a bundle reported through the sink, or null. Any thread. */
    private volatile String fatal;
    /** Opened when the main thread has stopped the framework and logged its last line. */
    private final CountDownLatch done = new CountDownLatch(1);

    /** @param nbthread the configuration file's {@code nbthread}, 0 when it sets none */
    Launcher(Path home, Path configFile, int nbthread, boolean debug, boolean shell) {
        this.home = home;
        this.configFile = configFile;
        this.nbthread = nbthread;
        this.debug = debug;
        this.shell = shell;
    }

    /** @return the exit status: 0 after a requested stop, 1 if Muxgate could not start */
    int run() {
        String version = Launcher.class.getPackage().getImplementationVersion();
        LOG.info("starting muxgate {} on Java {} ({}) from {}, configuration {}", version,
                Runtime.version(), System.getProperty("java.vm.name"), home, configFile);
        try {
            if (!lockData()) {
                LOG.error("another muxgate runs from {}: {} is locked", home, home.resolve("data"));
                return 1;
            }
        } catch (IOException e) {
            LOG.error("cannot lock {}: {}", home.resolve("data"), e.toString());
            return 1;
        }
        Felix framework = new Felix(frameworkProperties());
        int status = 1;
        try {
            framework.init();
            registerFatalSink(framework);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> onShutdown(framework), "muxgate-shutdown"));
            List<Bundle> bundles = install(framework.getBundleContext());
            logOtherBundles(framework.getBundleContext(), bundles);
            framework.start();
            if (startAll(framework, bundles) && awaitScheduler(framework.getBundleContext())) {
                // Before the line that tells a supervisor it may now stop Muxgate cleanly.
                stopOnSignals(framework);
                long bundleCount = bundles.stream().filter(b -> !isFragment(b)).count();
                LOG.info("muxgate {}: all {} bundles active in {} ms", version, bundleCount,
                        ManagementFactory.getRuntimeMXBean().getUptime());
                framework.waitForStop(0);
                status = fatal == null ? 0 : 1;
            }
        } catch (BundleException | IOException e) {
            LOG.error("cannot start the framework: {}", e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!stop(framework)) {
                status = 1;
            }
            LOG.info("muxgate stopped");
            done.countDown();
        }
        return status;
    }

    /**
     * Locks data/ for this process. Felix's own cache lock does not stop a second process,
     * whose clean start would delete the cache from under this one.
     *
     * @return false if another process holds the lock
     */
    private boolean lockData() throws IOException {
        Path data = Files.createDirectories(home.resolve("data"));
        FileChannel channel = FileChannel.open(data.resolve("muxgate.lock"), CREATE, WRITE);
        dataLock = channel.tryLock();
        if (dataLock == null) {
            channel.close();
        }
        return dataLock != null;
    }

    private Map<String, Object> frameworkProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(FelixConstants.LOG_LOGGER_PROP, new FelixLogBridge(debug));
        props.put(Constants.FRAMEWORK_STORAGE, home.resolve("data").resolve("cache").toString());
        // The bundles are those of system/ and deploy/ at this start, never stale copies of a previous run.
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // One SLF4J, the launcher's with its slf4j-simple binding, for the launcher and every bundle.
        String slf4jVersion = LoggerFactory.class.getPackage().getImplementationVersion();
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                Stream.of("org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi")
                        .map(pkg -> pkg + ";version=" + slf4jVersion).collect(joining(",")));
        props.put(CONFIG_FILE_PROPERTY, configFile.toString());
        if (nbthread > 0) {
            props.put(NBTHREAD_PROPERTY, Integer.toString(nbthread));
        }

        // FileInstall installs the bundles of deploy/ and feeds etc/<pid>.cfg to ConfigAdmin.
        props.put("felix.fileinstall.dir", home.resolve("deploy") + "," + home.resolve("etc"));
        // The haproxy.cfg-format files are not ConfigAdmin configurations.
        props.put("felix.fileinstall.filter", "(?!" + Pattern.quote("muxgate.cfg") + "$|"
                + Pattern.quote(configFile.getFileName().toString()) + "$).*\\.(jar|cfg|config)");
        props.put("felix.fileinstall.poll", "1000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        // Writing configurations back was seen to truncate .cfg files at start.
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", debug ? "4" : "2");
        // Its default is bare lines on stdout; java.util.logging goes to SLF4J (see Main).
        props.put("felix.fileinstall.log.default", "jul");
        if (!shell) {
            // A Gogo shell bundle dropped into deploy/ must not take over the terminal.
            props.put("gosh.args", "--nointeractive");
        }
        return props;
    }

    private List<Bundle> install(BundleContext context) throws IOException, BundleException {
        List<Path> jars = new ArrayList<>(jars(home.resolve("system")));
        if (shell) {
            jars.addAll(jars(home.resolve("shell")));
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            try {
                // reference: Felix reads the jar in place instead of copying it into the cache at every start.
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                throw new BundleException("cannot install " + jar + ": " + e.getMessage(), e);
            }
        }
        return bundles;
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** Reports what happens to the bundles that the launcher did not install: those of deploy/. */
    private static void logOtherBundles(BundleContext context, List<Bundle> launched) {
        Set<Bundle> known = new HashSet<>(launched);
        known.add(context.getBundle());
        context.addBundleListener(event -> {
            if (!known.contains(event.getBundle())) {
                logBundleEvent(event);
            }
        });
    }

    private static void logBundleEvent(BundleEvent event) {
        String what = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> null;
        };
        if (what != null) {
            Bundle bundle = event.getBundle();
            LOG.info("bundle {} {} {}", bundle.getSymbolicName(), bundle.getVersion(), what);
        }
    }

    /** @return whether every bundle is active (fragments: attached); false after logging why not */
    private static boolean startAll(Framework framework, List<Bundle> bundles) {
        // Resolving them together before the first start wires each import once, to its final exporter.
        framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
        for (Bundle bundle : providersFirst(bundles)) {
            try {
                if (!isFragment(bundle)) {
                    bundle.start();
                    LOG.info("started bundle {} {}", bundle.getSymbolicName(), bundle.getVersion());
                } else if (bundle.getState() == Bundle.RESOLVED) {
                    LOG.info("attached fragment {} {}", bundle.getSymbolicName(), bundle.getVersion());
                } else {
                    throw new BundleException("no host for this fragment");
                }
            } catch (BundleException e) {
                LOG.error("cannot start bundle {} {}: {}", bundle.getSymbolicName(), bundle.getVersion(),
                        e.getMessage(), e);
                return false;
            }
        }
        List<String> inactive = bundles.stream()
                .filter(b -> !isFragment(b) && b.getState() != Bundle.ACTIVE)
                .map(Bundle::getSymbolicName).toList();
        if (!inactive.isEmpty()) {
            LOG.error("bundles no longer active after their start: {}", inactive);
            return false;
        }
        return true;
    }

    /**
     * Orders the bundles so that each comes after those it is wired to (packages it imports,
     * the extender its components need), so that a bundle's start finds its providers running.
     * Bundles with Declarative Services components come after the others, FileInstall among
     * them: its start hands etc/*.cfg to ConfigAdmin, so that the components find their
     * configuration when they are first enabled instead of restarting when it arrives.
     */
    private static List<Bundle> providersFirst(List<Bundle> bundles) {
        Set<Bundle> unvisited = new HashSet<>(bundles);
        Set<Bundle> ordered = new LinkedHashSet<>();
        bundles.stream()
                .sorted(Comparator.comparing(b -> b.getHeaders("").get("Service-Component") != null))
                .forEachOrdered(bundle -> visit(bundle, unvisited, ordered));
        return List.copyOf(ordered);
    }

    private static void visit(Bundle bundle, Set<Bundle> unvisited, Set<Bundle> ordered) {
        if (!unvisited.remove(bundle)) {
            return;
        }
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleWire wire : wiring.getRequiredWires(null)) {
                visit(wire.getProvider().getBundle(), unvisited, ordered);
            }
        }
        ordered.add(bundle);
    }

    private static boolean isFragment(Bundle bundle) {
        return (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /**
     * Waits for the scheduler service and keeps using it until the framework stops: the
     * scheduler is a delayed component, whose worker threads run only while the service
     * is in use, and Muxgate's threads should run from start to stop.
     */
    private static boolean awaitScheduler(BundleContext context) throws InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, SCHEDULER_SERVICE, null);
        tracker.open();
        Object scheduler = tracker.waitForService(SCHEDULER_TIMEOUT_MS);
        if (scheduler == null) {
            LOG.error("no {} service after {} s", SCHEDULER_SERVICE, SCHEDULER_TIMEOUT_MS / 1000);
            return false;
        }
        LOG.info("scheduler service registered: {} threads", threadCount(tracker.getServiceReference(), scheduler));
        return true;
    }

    /**
     * Calls Scheduler.threadCount() through the interface as the providing bundle sees it:
     * the launcher's class path has no org.muxgate.api, so that there is one Scheduler class.
     */
    private static Object threadCount(ServiceReference<Object> reference, Object scheduler) {
        try {
            return reference.getBundle().loadClass(SCHEDULER_SERVICE).getMethod("threadCount").invoke(scheduler);
        } catch (ReflectiveOperationException e) {
            LOG.warn("cannot read the scheduler's thread count", e);
            return "?";
        }
    }

    /**
     * Registers the sink through which a bundle reports that Muxgate cannot run as
     * configured: the first report is logged and stops the framework, and the exit
     * status becomes 1. A JDK type, so that bundles need no class of the launcher.
     */
    private void registerFatalSink(Framework framework) {
        Consumer<String> sink = message -> {
            if (fatal != null) {
                return;
            }
            fatal = message;
            LOG.error("{}: stopping", message);
            try {
                // Felix stops on a thread of its own: safe from a bundle's activation.
                framework.stop();
            } catch (BundleException e) {
                LOG.error("cannot stop the framework", e);
            }
        };
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(FATAL_SINK_PROPERTY, Boolean.TRUE);
        framework.getBundleContext().registerService(Consumer.class.getName(), sink, properties);
    }

    /**
     * Makes SIGTERM and SIGINT stop the framework and exit with status 0, where the JVM's
     * own handling would exit with 128 + the signal number. The handler only asks the
     * framework to stop: the main thread, waiting for that, logs and exits.
     */
    private static void stopOnSignals(Framework framework) {
        SignalHandler handler = signal -> {
            LOG.info("SIG{} received, stopping", signal.getName());
            try {
                framework.stop();
            } catch (BundleException e) {
                LOG.error("cannot stop the framework", e);
            }
        };
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // The JVM runs with -Xrs: the signal keeps its default action.
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }

    /**
     * When the JVM exits otherwise (SIGHUP, a signal before the handlers are in place,
     * System.exit from a bundle): stops the framework so that the bundles clean up, and
     * waits for the main thread's last line.
     */
    private void onShutdown(Framework framework) {
        try {
            framework.stop();
            done.await(STOP_TIMEOUT_MS, MILLISECONDS);
        } catch (BundleException e) {
            LOG.error("cannot stop the framework", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return false if the framework did not stop in time */
    private static boolean stop(Framework framework) {
        try {
            framework.stop();
            if (framework.waitForStop(STOP_TIMEOUT_MS).getType() != FrameworkEvent.WAIT_TIMEDOUT) {
                return true;
            }
            LOG.error("framework still stopping after {} s", STOP_TIMEOUT_MS / 1000);
        } catch (BundleException e) {
            LOG.error("cannot stop the framework", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
