package org.muxgate.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The entry point of {@code bin/muxgate}: reads the command line, sets up logging and
 * runs the {@link Launcher}.
 *
 * <p>Exit status: 0 after a clean stop, {@code -h} or a valid {@code -c}, 1 when Muxgate
 * cannot start (a configuration file with errors among other reasons),
 * 2 for a wrong command line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    private static int run(String[] args) {
        Path home = distributionHome();
        Path defaultConfigFile = home.resolve("etc").resolve("muxgate.cfg");
        Options options;
        try {
            options = Options.parse(List.of(args), defaultConfigFile);
        } catch (Options.UsageException e) {
            System.err.println("muxgate: " + e.getMessage());
            System.err.print(Options.usage(defaultConfigFile));
            return 2;
        }
        if (options.help()) {
            System.out.print(Options.usage(defaultConfigFile));
            return 0;
        }
        Path configFile = options.configFile().toAbsolutePath().normalize();
        String problem = !Files.exists(configFile) ? "no such file"
                : !Files.isRegularFile(configFile) ? "not a regular file"
                : !Files.isReadable(configFile) ? "permission denied"
                : null;
        if (problem != null) {
            System.err.println("muxgate: cannot read configuration file " + configFile + ": " + problem);
            return 1;
        }
        ConfigCheck.Result checked;
        try {
            checked = ConfigCheck.check(home, configFile);
        } catch (IOException e) {
            System.err.println("muxgate: " + e.getMessage());
            return 1;
        }
        List<String> errors = checked.errors();
        // All the errors of the file at once, as haproxy -c prints them; nothing is opened.
        for (String error : errors) {
            System.err.println(error);
        }
        if (options.check()) {
            if (errors.isEmpty()) {
                System.out.println("Configuration file is valid");
            }
            return errors.isEmpty() ? 0 : 1;
        }
        if (!errors.isEmpty()) {
            System.err.println("muxgate: " + configFile + ": " + errors.size() + " errors, not started");
            return 1;
        }
        configureLogging(options.debug());
        return new Launcher(home, configFile, checked.nbthread(), options.debug(), options.shell()).run();
    }

    /** The launcher jar is in the distribution's lib/. */
    private static Path distributionHome() {
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar", e);
        }
    }

    /**
     * slf4j-simple reads its configuration from system properties once, when the first
     * logger is created: this must run before any class touches LoggerFactory. Properties
     * given with -D in JAVA_OPTS win, except the level that -d asks for.
     */
    private static void configureLogging(boolean debug) {
        String prefix = "org.slf4j.simpleLogger.";
        if (debug) {
            System.setProperty(prefix + "defaultLogLevel", "debug");
        } else {
            System.getProperties().putIfAbsent(prefix + "defaultLogLevel", "info");
        }
        System.getProperties().putIfAbsent(prefix + "showDateTime", "true");
        System.getProperties().putIfAbsent(prefix + "dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        System.getProperties().putIfAbsent(prefix + "showThreadName", "true");
        System.getProperties().putIfAbsent(prefix + "showShortLogName", "true");
        // Records of java.util.logging (FileInstall's) go to SLF4J too, down to the same level.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(debug ? Level.FINE : Level.INFO);
    }
}
