package org.muxgate.scheduler.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A worker thread's inbox: where other threads put the tasks they wake for it.
 * Lock-free: producers push with a CAS on the head (a Treiber stack linked through
 * {@link AbstractTask#next}); the owning thread takes everything at once with an
 * exchange, then restores the arrival order. Taking all at once rules out ABA.
 */
final class Inbox {

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(Inbox.class, "head", AbstractTask.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HEAD
    private volatile AbstractTask head;

    /** Any thread, for a task it just marked QUEUED. */
    void push(AbstractTask task) {
        AbstractTask h = head;
        for (;;) {
            task.next = h;
            AbstractTask witness = (AbstractTask) HEAD.compareAndExchange(this, h, task);
            if (witness == h) {
                return;
            }
            h = witness;
        }
    }

    /** Any thread. */
    boolean isEmpty() {
        return head == null;
    }

    /**
     * Owner thread only: empties the inbox.
     *
     * @return the tasks in the order they were pushed, linked through {@code next}
     */
    AbstractTask takeAll() {
        AbstractTask h = (AbstractTask) HEAD.getAndSet(this, (AbstractTask) null);
        AbstractTask reversed = null;
        while (h != null) {
            AbstractTask following = h.next;
            h.next = reversed;
            reversed = h;
            h = following;
        }
        return reversed;
    }
}
