package org.muxgate.scheduler.osgi;

import java.util.List;

import org.muxgate.api.scheduler.PollerFactory;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.scheduler.ThreadActivity;
import org.muxgate.scheduler.core.ParkingPoller;
import org.muxgate.scheduler.core.TaskScheduler;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Runs a {@link TaskScheduler} and registers it as the {@link Scheduler} service.
 *
 * <p>Threads: the configuration's {@code nbthread}, else the haproxy.cfg's (the
 * framework property {@value #NBTHREAD_PROPERTY} the launcher sets), else one per CPU.
 *
 * <p>The worker threads poll with the registered {@link PollerFactory} if there is
 * one (the transport's selectors), else they park. The reference is static and
 * greedy: a poller factory arriving or leaving restarts the scheduler, and with it
 * the components that use it. Immediate: the worker threads run from the bundle's
 * start, not from the first use of the service.
 */
@Component(service = Scheduler.class, immediate = true, configurationPid = SchedulerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SchedulerComponent.Config.class)
public final class SchedulerComponent implements Scheduler {

    /** The configuration PID, as in {@code etc/org.muxgate.scheduler.cfg}. */
    public static final String PID = "org.muxgate.scheduler";

    /** The framework property the launcher sets to the haproxy.cfg's {@code nbthread}. */
    public static final String NBTHREAD_PROPERTY = "muxgate.nbthread";

    @ObjectClassDefinition(id = PID, name = "Muxgate scheduler",
            description = "Worker threads running Muxgate's tasks, timers and I/O.")
    public @interface Config {

        @AttributeDefinition(name = "nbthread", min = "1", max = "64",
                description = "Number of worker threads (HAProxy's nbthread). 0 means the nbthread of the"
                        + " configuration file (framework property muxgate.nbthread), else one per CPU, at most 64.")
        int nbthread() default 0;

        @AttributeDefinition(name = "tune.runqueue-depth", min = "1",
                description = "Tasks run per loop before polling I/O again (HAProxy's tune.runqueue-depth).")
        int runqueue_depth() default TaskScheduler.DEFAULT_RUNQUEUE_DEPTH;

        @AttributeDefinition(name = "profiling.tasks",
                description = "Measure each task's CPU time and wake-to-run latency (costs two clock reads per run).")
        boolean profiling_tasks() default false;
    }

    private final TaskScheduler scheduler;

    @Activate
    public SchedulerComponent(Config config, BundleContext context,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY) PollerFactory pollers) {
        int threads = config.nbthread() > 0 ? config.nbthread() : fileNbthread(context);
        if (threads <= 0) {
            threads = Math.min(Runtime.getRuntime().availableProcessors(), TaskScheduler.MAX_THREADS);
        }
        this.scheduler = new TaskScheduler("muxgate", threads, config.runqueue_depth(),
                config.profiling_tasks(), pollers != null ? pollers : ParkingPoller.FACTORY);
        scheduler.start();
    }

    /** @return the configuration file's {@code nbthread}, or 0 when the launcher set none */
    private static int fileNbthread(BundleContext context) {
        String value = context.getProperty(NBTHREAD_PROPERTY);
        try {
            return value == null ? 0 : Math.min(Integer.parseInt(value.trim()), TaskScheduler.MAX_THREADS);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Deactivate
    void deactivate() {
        scheduler.stop();
    }

    @Override
    public int threadCount() {
        return scheduler.threadCount();
    }

    @Override
    public int currentThread() {
        return scheduler.currentThread();
    }

    @Override
    public long now() {
        return scheduler.now();
    }

    @Override
    public Task newTask(long threadMask, int flags, TaskProcess process, Object context) {
        return scheduler.newTask(threadMask, flags, process, context);
    }

    @Override
    public Tasklet newTasklet(int thread, int flags, TaskProcess process, Object context) {
        return scheduler.newTasklet(thread, flags, process, context);
    }

    @Override
    public List<ThreadActivity> activity() {
        return scheduler.activity();
    }
}
