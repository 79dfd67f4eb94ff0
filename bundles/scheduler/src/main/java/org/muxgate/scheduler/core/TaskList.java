package org.muxgate.scheduler.core;

/**
 * A FIFO of tasks linked through {@link AbstractTask#next}: one of a worker
 * thread's tasklet classes. Owned by that thread; never touched by another, so
 * unsynchronized. A task is in at most one list at a time (it is QUEUED while it is).
 */
final class TaskList {

    private AbstractTask head;
    private AbstractTask tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    void add(AbstractTask task) {
        task.next = null;
        if (tail == null) {
            head = task;
        } else {
            tail.next = task;
        }
        tail = task;
        size++;
    }

    /** @return the first task, or null when empty */
    AbstractTask poll() {
        AbstractTask task = head;
        if (task != null) {
            head = task.next;
            if (head == null) {
                tail = null;
            }
            task.next = null;
            size--;
        }
        return task;
    }
}
