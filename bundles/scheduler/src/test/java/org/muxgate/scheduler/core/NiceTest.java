package org.muxgate.scheduler.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.Test;
import org.muxgate.api.scheduler.Task;

/** Nice values order the run queues: lower first, ties in wake order. */
public class NiceTest extends SchedulerTestSupport {

    /** Nice values of the tasks, in wake order: two ties, the extremes, and both signs. */
    private static final int[] NICES = {0, 5, -10, 5, Task.NICE_MIN, Task.NICE_MAX, 0, -10, 1};

    /** A thread's run queue runs single-thread tasks woken together in nice order, ties in wake order. */
    @Test
    public void theThreadRunQueueRunsTasksInNiceOrder() throws Exception {
        TaskScheduler scheduler = startScheduler(1);
        Gate gate = block(scheduler, 0);
        List<Integer> ran = wakeInNiceOrderTest(scheduler, 0b1, gate);
        assertEquals(expectedOrder(), ran);
    }

    /**
     * The shared run queue runs multi-thread tasks woken together in nice order: both
     * threads are held while they are woken, then only thread 0 is released so that
     * it runs them all.
     */
    @Test
    public void theSharedRunQueueRunsTasksInNiceOrder() throws Exception {
        TaskScheduler scheduler = startScheduler(2);
        Gate gate0 = block(scheduler, 0);
        block(scheduler, 1);
        List<Integer> ran = wakeInNiceOrderTest(scheduler, 0b11, gate0);
        assertEquals(expectedOrder(), ran);
    }

    /** setNice accepts NICE_MIN..NICE_MAX only. */
    @Test
    public void setNiceRejectsValuesOutOfRange() {
        TaskScheduler scheduler = newScheduler(1);
        Task task = scheduler.newTask(1, KEEP, null);
        assertEquals(0, task.nice());
        assertThrows(IllegalArgumentException.class, () -> task.setNice(Task.NICE_MIN - 1));
        assertThrows(IllegalArgumentException.class, () -> task.setNice(Task.NICE_MAX + 1));
        assertEquals(0, task.nice());
        task.setNice(Task.NICE_MIN);
        assertEquals(Task.NICE_MIN, task.nice());
        task.setNice(Task.NICE_MAX);
        assertEquals(Task.NICE_MAX, task.nice());
    }

    /**
     * Wakes one task per nice value, in order, while the threads are held; releases
     * {@code gate}; returns the indexes of the tasks in the order they ran (negative if not on thread 0).
     */
    private static List<Integer> wakeInNiceOrderTest(TaskScheduler scheduler, long mask, Gate gate)
            throws Exception {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(NICES.length);
        for (int i = 0; i < NICES.length; i++) {
            int index = i;
            Task task = scheduler.newTask(mask, (t, ctx, state) -> {
                // An index of another thread's run is made negative, so that the order check fails.
                ran.add(scheduler.currentThread() == 0 ? index : -1 - index);
                all.countDown();
                return null;
            }, null);
            task.setNice(NICES[i]);
            task.wakeup(WOKEN_MSG);
        }
        gate.release();
        await(all, "every task");
        return ran;
    }

    /** Indexes of NICES sorted by nice value, stable. */
    private static List<Integer> expectedOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < NICES.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> NICES[i]));
        return order;
    }
}
