package org.muxgate.proxy.engine;

import static org.muxgate.api.scheduler.TaskState.WOKEN_OTHER;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;

/**
 * The sessions of one server, for {@code on-marked-down shutdown-sessions} and
 * {@code on-marked-up shutdown-backup-sessions}: the connectors holding a slot on
 * it, in one list per worker thread, as HAProxy keeps a server's streams per thread.
 * Kept only for servers whose sessions may be shut down.
 *
 * <p>Threads: a thread's list is touched by that thread only: a connector joins and
 * leaves it on its stream's thread, and a shutdown walks it in a tasklet of that
 * thread. So the lists take no lock, and a shutdown asked from a health check's
 * thread only wakes one tasklet per thread.
 */
final class ServerSessions implements TaskProcess {

    private final Scheduler scheduler;
    /** The first connector of each thread's list, indexed by thread. */
    private final ServerConnector[] heads;
    /** One per thread: walks that thread's list when woken. */
    private final Tasklet[] shutdowns;

    ServerSessions(Scheduler scheduler) {
        this.scheduler = scheduler;
        int threads = scheduler.threadCount();
        this.heads = new ServerConnector[threads];
        this.shutdowns = new Tasklet[threads];
        for (int thread = 0; thread < threads; thread++) {
            shutdowns[thread] = scheduler.newTasklet(thread, this, this);
        }
    }

    /** Lists a connector that took a slot on the server; its stream's thread. */
    void add(ServerConnector connector) {
        int thread = scheduler.currentThread();
        ServerConnector head = heads[thread];
        connector.previousSession = null;
        connector.nextSession = head;
        if (head != null) {
            head.previousSession = connector;
        }
        heads[thread] = connector;
    }

    /** Unlists a connector as it gives back its slot; its stream's thread, where it was added. */
    void remove(ServerConnector connector) {
        ServerConnector previous = connector.previousSession;
        ServerConnector next = connector.nextSession;
        if (previous == null) {
            heads[scheduler.currentThread()] = next;
        } else {
            previous.nextSession = next;
        }
        if (next != null) {
            next.previousSession = previous;
        }
        connector.previousSession = null;
        connector.nextSession = null;
    }

    /** Ends every session of the server, each on its own thread, soon. Any thread. */
    void shutdown() {
        for (Tasklet tasklet : shutdowns) {
            tasklet.wakeup(WOKEN_OTHER);
        }
    }

    /**
     * On one thread: tells each listed connector's stream to end. The streams run
     * later, so the list is not changed while it is walked.
     */
    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        for (ServerConnector connector = heads[scheduler.currentThread()]; connector != null;
                connector = connector.nextSession) {
            connector.shutDown();
        }
        return self;
    }

    /** Frees the tasklets, the engine stopping; any thread. */
    void stop() {
        for (Tasklet tasklet : shutdowns) {
            tasklet.kill();
        }
    }
}
