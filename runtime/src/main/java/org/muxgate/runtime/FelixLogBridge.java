package org.muxgate.runtime;

import org.apache.felix.framework.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the framework's own messages (resolution failures, exceptions thrown by
 * listeners, with -d the resolver's wiring) to SLF4J, formatted like every other
 * line, instead of Felix's bare System.out lines.
 */
final class FelixLogBridge extends Logger {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    FelixLogBridge(boolean debug) {
        setLogLevel(debug ? LOG_DEBUG : LOG_WARNING);
    }

    /** Where both the framework's messages and its resolver's end. */
    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        switch (level) {
            case LOG_ERROR -> LOG.error(msg, throwable);
            case LOG_WARNING -> LOG.warn(msg, throwable);
            case LOG_INFO -> LOG.info(msg, throwable);
            default -> LOG.debug(msg, throwable);
        }
    }
}
