package org.muxgate.itests.felix;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskState;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The scheduler bundle in an embedded Felix with SCR, ConfigAdmin and Metatype: its
 * service comes up, runs tasklets and timers on its worker threads, and follows its
 * configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SchedulerFelixIT {

    /**
     * Muxgate's bundles, installed in this order from the local repository. Each is also a
     * test dependency of this module, for versionAsInProject() and the reactor order.
     */
    private static final String[] MUXGATE_BUNDLES = {
        "muxgate-api",
        "muxgate-scheduler",
    };

    private static final String PID = "org.muxgate.scheduler";

    /** Generous: the build machine has 2 cores and may be running other builds. */
    private static final long TIMEOUT_MILLIS = 60_000;

    /** The delay of the timers under test: long enough that firing early would show. */
    private static final long TIMER_DELAY_MILLIS = 50;

    @Inject
    private BundleContext context;

    @Inject
    private Scheduler scheduler;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private MetaTypeService metaType;

    @Configuration
    public Option[] configuration() {
        return options(FelixRuntime.withBundles(TIMEOUT_MILLIS, MUXGATE_BUNDLES));
    }

    @Test
    public void muxgateBundlesAreActive() {
        List<Bundle> ours = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getLocation().startsWith("mvn:org.muxgate/")) {
                ours.add(bundle);
                assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
            }
        }
        assertEquals(MUXGATE_BUNDLES.length, ours.size());
    }

    @Test
    public void taskletRunsOnItsWorkerThread() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger thread = new AtomicInteger(Integer.MIN_VALUE);
        scheduler.newTasklet(0, (tasklet, ctx, state) -> {
            thread.set(scheduler.currentThread());
            ran.countDown();
            return null;
        }, null).wakeup(TaskState.WOKEN_OTHER);

        assertTrue("the tasklet did not run", ran.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(0, thread.get());
    }

    /** A single-thread task arms its own timer when first woken: only its thread may. */
    @Test
    public void taskArmsItsOwnTimer() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong expiry = new AtomicLong();
        AtomicLong firedAt = new AtomicLong();
        AtomicInteger thread = new AtomicInteger(Integer.MIN_VALUE);
        scheduler.newTask(1L, (task, ctx, state) -> {
            if ((state & TaskState.WOKEN_TIMER) != 0) {
                firedAt.set(scheduler.now());
                thread.set(scheduler.currentThread());
                fired.countDown();
                return null;
            }
            expiry.set(scheduler.now() + TIMER_DELAY_MILLIS);
            ((Task) task).setExpire(expiry.get());
            return task;
        }, null).wakeup(TaskState.WOKEN_INIT);

        assertTrue("the timer did not fire", fired.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(0, thread.get());
        assertTrue("fired at " + firedAt + " before its expiry " + expiry, firedAt.get() >= expiry.get());
    }

    /** A task in the shared wait queue may have its timer armed by any thread, here the test's. */
    @Test
    public void sharedTaskTimerArmedFromOutside() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicLong firedAt = new AtomicLong();
        AtomicInteger thread = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger runState = new AtomicInteger();
        Task task = scheduler.newTask(scheduler.allThreads(), TaskState.SHARED_WQ, (self, ctx, state) -> {
            firedAt.set(scheduler.now());
            thread.set(scheduler.currentThread());
            runState.set(state);
            fired.countDown();
            return null;
        }, null);
        long expiry = scheduler.now() + TIMER_DELAY_MILLIS;
        task.setExpire(expiry);
        task.queue();

        assertTrue("the timer did not fire", fired.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue("state " + runState + ": not woken by its timer",
                (runState.get() & TaskState.WOKEN_TIMER) != 0);
        assertTrue("ran on " + thread, thread.get() >= 0 && thread.get() < scheduler.threadCount());
        assertTrue("fired at " + firedAt + " before its expiry " + expiry, firedAt.get() >= expiry);
    }

    @Test
    public void metatypeDescribesTheConfiguration() {
        Bundle bundle = FrameworkUtil.getBundle(scheduler.getClass());
        MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
        assertNotNull("no metatype in " + bundle, info);
        ObjectClassDefinition ocd = info.getObjectClassDefinition(PID, null);
        assertNotNull("no object class definition for " + PID, ocd);
        List<String> ids = new ArrayList<>();
        for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            ids.add(attribute.getID());
        }
        assertTrue(ids.toString(), ids.containsAll(List.of("nbthread", "runqueue.depth", "profiling.tasks")));
    }

    @Test
    public void configurationRestartsTheScheduler() throws Exception {
        long initial = serviceId(context.getServiceReference(Scheduler.class));
        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration(PID, null);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("nbthread", 3);
        config.update(properties);
        long reconfigured;
        try {
            ServiceReference<Scheduler> reference = awaitScheduler(ref -> serviceId(ref) != initial);
            reconfigured = serviceId(reference);
            Scheduler threeThreads = context.getService(reference);
            try {
                assertEquals(3, threeThreads.threadCount());
                CountDownLatch ran = new CountDownLatch(1);
                AtomicInteger thread = new AtomicInteger(Integer.MIN_VALUE);
                threeThreads.newTasklet(2, (tasklet, ctx, state) -> {
                    thread.set(threeThreads.currentThread());
                    ran.countDown();
                    return null;
                }, null).wakeup(TaskState.WOKEN_OTHER);
                assertTrue("the tasklet did not run", ran.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
                assertEquals(2, thread.get());
            } finally {
                context.ungetService(reference);
            }
        } finally {
            config.delete();
        }
        // The next test must not be handed the three-thread scheduler as it goes away.
        awaitScheduler(ref -> serviceId(ref) != reconfigured);
    }

    private ServiceReference<Scheduler> awaitScheduler(Predicate<ServiceReference<Scheduler>> condition)
            throws InvalidSyntaxException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        do {
            for (ServiceReference<Scheduler> reference : context.getServiceReferences(Scheduler.class, null)) {
                if (condition.test(reference)) {
                    return reference;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no such Scheduler service within " + TIMEOUT_MILLIS + " ms");
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }
}
