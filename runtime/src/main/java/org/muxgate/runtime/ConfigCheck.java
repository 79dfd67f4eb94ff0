package org.muxgate.runtime;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a configuration file with the proxy bundle's own parser, before the
 * framework starts ({@code -c}, and every normal start). The proxy jar of
 * {@code system/}, with the transport jar whose TLS classes read certificates, is
 * loaded in a class loader of its own, used for this one call and closed, so that
 * the launcher's class path never holds a second copy of the bundles' classes
 * while the framework runs.
 *
 * <p>Called by the launcher's main thread only.
 */
final class ConfigCheck {

    private static final String PARSER = "org.muxgate.proxy.config.ConfigParser";

    private ConfigCheck() {
    }

    /**
     * What the launcher needs from a checked file.
     *
     * @param errors   {@code FILE:LINE: message} lines, empty when the file is valid
     * @param nbthread the {@code global} section's {@code nbthread}, 0 when not set or invalid
     */
    record Result(List<String> errors, int nbthread) {
    }

    /**
     * @throws IOException if the proxy jar cannot be found or loaded
     */
    static Result check(Path home, Path file) throws IOException {
        Path jar = bundleJar(home.resolve("system"), "muxgate-proxy");
        Path transport = bundleJar(home.resolve("system"), "muxgate-transport");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), transport.toUri().toURL()},
                ConfigCheck.class.getClassLoader())) {
            Method parse = loader.loadClass(PARSER).getMethod("parse", Path.class);
            try {
                Object configuration = parse.invoke(null, file);
                Object global = configuration.getClass().getMethod("global").invoke(configuration);
                return new Result(List.of(), (Integer) global.getClass().getMethod("nbthread").invoke(global));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (!cause.getClass().getName().equals("org.muxgate.proxy.config.ConfigException")) {
                    throw new IOException("the configuration parser failed: " + cause, cause);
                }
                List<String> errors = new ArrayList<>();
                for (Object error : (List<?>) cause.getClass().getMethod("errors").invoke(cause)) {
                    errors.add(error.toString());
                }
                return new Result(errors, 0);
            }
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot run the configuration parser of " + jar + ": " + e, e);
        }
    }

    private static Path bundleJar(Path system, String artifact) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(system, artifact + "-*.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IOException("no " + artifact + " jar in " + system);
    }
}
