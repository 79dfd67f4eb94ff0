package org.muxgate.proxy.osgi;

import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.proxy.config.ConfigException;
import org.muxgate.proxy.config.ConfigParser;
import org.muxgate.proxy.config.Configuration;
import org.muxgate.proxy.config.Diagnostic;
import org.muxgate.proxy.engine.ProxyEngine;
import org.muxgate.transport.MuxRegistry;
import org.muxgate.transport.SelectorPoller;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configuration file named by the framework property
 * {@value #CONFIG_FILE_PROPERTY} with a {@link ProxyEngine}. Without the property it
 * does nothing. A file with errors is logged, one line per error, and nothing is
 * opened. Under the launcher, a configuration that cannot run (a file with errors,
 * an address that cannot be bound) is also reported to the launcher's fatal-error
 * sink, a {@code Consumer<String>} service with {@code muxgate.fatal=true}, which
 * stops Muxgate with exit status 1 as HAProxy does.
 *
 * <p>The scheduler may run without the transport's selectors for a moment at start
 * (before the transport's poller factory appears, which restarts it, and this
 * component with it): the engine starts only on a scheduler whose threads poll
 * with selectors.
 */
@Component(immediate = true, service = {})
public final class ProxyComponent {

    /** The framework property naming the configuration file, set by the launcher from {@code -f}. */
    public static final String CONFIG_FILE_PROPERTY = "muxgate.config.file";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyComponent.class);

    private final ProxyEngine engine;

    @Activate
    public ProxyComponent(BundleContext context, @Reference Scheduler scheduler, @Reference MuxRegistry registry,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, target = "(muxgate.fatal=true)")
            Consumer<String> fatal) {
        String file = context.getProperty(CONFIG_FILE_PROPERTY);
        this.engine = file == null ? null
                : start(Path.of(file), scheduler, registry, fatal != null ? fatal : message -> { });
    }

    private static ProxyEngine start(Path file, Scheduler scheduler, MuxRegistry registry, Consumer<String> fatal) {
        Configuration configuration;
        try {
            configuration = ConfigParser.parse(file);
        } catch (ConfigException e) {
            for (Diagnostic error : e.errors()) {
                LOG.error("{}", error);
            }
            LOG.error("{}: {} errors, nothing started", file, e.errors().size());
            fatal.accept(file + ": " + e.errors().size() + " errors");
            return null;
        }
        for (Diagnostic warning : configuration.warnings()) {
            LOG.warn("{}", warning);
        }
        if (!pollsWithSelectors(scheduler)) {
            LOG.debug("the scheduler polls without selectors yet; the proxy starts when it restarts with them");
            return null;
        }
        ProxyEngine engine = new ProxyEngine(configuration, scheduler, registry);
        try {
            engine.start();
        } catch (IOException e) {
            LOG.error("{}", e.getMessage());
            fatal.accept(e.getMessage());
            return null;
        }
        LOG.info("{}: {} frontends, {} backends running", file, configuration.frontends().size(),
                configuration.backends().size());
        return engine;
    }

    /** Asks worker thread 0 whether it polls with a transport selector. */
    private static boolean pollsWithSelectors(Scheduler scheduler) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        scheduler.newTasklet(0, (task, context, state) -> {
            answer.complete(SelectorPoller.current() != null);
            return null;
        }, null).wakeup(WOKEN_INIT);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Deactivate
    void deactivate() {
        if (engine != null) {
            engine.stop();
        }
    }
}
