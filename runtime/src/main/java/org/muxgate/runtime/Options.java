package org.muxgate.runtime;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** The command line of {@code bin/muxgate}. */
record Options(boolean help, boolean check, boolean debug, boolean shell, Path configFile) {

    /** A command line that cannot be run: bin/muxgate exits with status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(List<String> args, Path defaultConfigFile) throws UsageException {
        boolean help = false;
        boolean check = false;
        boolean debug = false;
        boolean shell = false;
        Path configFile = defaultConfigFile;
        for (Iterator<String> it = args.iterator(); it.hasNext();) {
            String arg = it.next();
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "-c" -> check = true;
                case "-d" -> debug = true;
                case "--shell" -> shell = true;
                case "-f" -> {
                    if (!it.hasNext()) {
                        throw new UsageException("option -f needs a file name");
                    }
                    configFile = Path.of(it.next());
                }
                default -> throw new UsageException("unknown option: " + arg);
            }
        }
        return new Options(help, check, debug, shell, configFile);
    }

    static String usage(Path defaultConfigFile) {
        return """
                Usage: muxgate [-h] [-c] [-d] [--shell] [-f FILE]
                Starts Muxgate, a reverse proxy and load balancer, until SIGTERM or Ctrl-C.

                  -f FILE   the configuration file (haproxy.cfg format),
                            default %s
                  -c        only check the configuration file: exit 0 if it is valid,
                            else print its errors as FILE:LINE: message and exit 1
                  -d        debug logging
                  --shell   an interactive Gogo shell on this terminal (exit with Ctrl-D)
                  -h        print this help and exit

                Bundle jars dropped into deploy/ are installed and started, and uninstalled
                when removed; etc/<pid>.cfg files configure OSGi components (ConfigAdmin).
                Environment: JAVA_HOME selects the JDK, JAVA_OPTS adds JVM options.
                """.formatted(defaultConfigFile);
    }
}
