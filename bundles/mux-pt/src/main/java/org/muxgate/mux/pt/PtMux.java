package org.muxgate.mux.pt;

import java.nio.ByteBuffer;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.StreamEndpoint;
import org.muxgate.api.transport.StreamOpener;

/**
 * The passthrough mux of one connection, which is also its only stream endpoint:
 * the stream reads and writes the connection's bytes as they are.
 *
 * <p>Idle handling (HAProxy's mux_pt with its own context): when the stream
 * detaches and the connection is kept, the mux keeps its own tasklet subscribed to
 * reads, drains whatever arrives and closes the connection on an error or a read
 * shutdown. The tasklet is created the first time the connection goes idle, so a
 * busy connection costs none.
 *
 * <p>Called on the connection's thread only, as every mux.
 */
final class PtMux implements Mux, StreamEndpoint, TaskProcess {

    private final Connection connection;
    private final Scheduler scheduler;
    /** The proxy's side of a frontend connection, told when it ends; null for a server connection. */
    private final StreamOpener opener;
    private boolean attached;
    /** The opener was told the connection ended: it is told once. */
    private boolean ended;
    private Tasklet idleTasklet;

    private PtMux(Connection connection, Scheduler scheduler, StreamOpener opener) {
        this.connection = connection;
        this.scheduler = scheduler;
        this.opener = opener;
    }

    /**
     * Installs the mux; a frontend connection's stream is opened at once.
     *
     * @return the mux, or null once it closed the connection because no stream could be opened
     */
    static PtMux create(Connection connection, Scheduler scheduler, StreamOpener opener) {
        PtMux mux = new PtMux(connection, scheduler, opener);
        if (opener != null) {
            mux.attached = true;
            if (!opener.openStream(mux)) {
                mux.destroy();
                return null;
            }
        }
        return mux;
    }

    @Override
    public StreamEndpoint attach() {
        if (attached || connection.isClosed()) {
            return null;
        }
        attached = true;
        if (idleTasklet != null) {
            connection.unsubscribe(IoEvent.RECV, idleTasklet);
        }
        return this;
    }

    @Override
    public void detach(boolean keepConnection) {
        attached = false;
        if (!keepConnection || connection.isError() || connection.isReadShut() || connection.isWriteShut()) {
            destroy();
            return;
        }
        if (idleTasklet == null) {
            idleTasklet = scheduler.newTasklet(connection.thread(), this, this);
        }
        // Subscribe, to learn that the server closed or sent something unexpected.
        connection.subscribe(IoEvent.RECV, idleTasklet);
    }

    /** The idle tasklet: drains, closes on error or read shutdown, else waits for more. */
    @Override
    public Schedulable process(Schedulable task, Object context, int state) {
        if (context == null) {
            // The connection was taken over by another thread's mux: this tasklet is stale.
            return null;
        }
        if (attached || connection.isClosed()) {
            return task;
        }
        connection.drain();
        if (connection.isError() || connection.isReadShut()) {
            destroy();
            return null;
        }
        connection.subscribe(IoEvent.RECV, idleTasklet);
        return task;
    }

    private void destroy() {
        connection.close();
        connectionClosed();
    }

    @Override
    public void connectionClosed() {
        // The transport woke the stream's waiters: the stream sees the error and detaches.
        if (idleTasklet != null) {
            idleTasklet.kill();
        }
        if (opener != null && !ended) {
            ended = true;
            opener.connectionEnded(connection);
        }
    }

    @Override
    public int streams() {
        return attached ? 1 : 0;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public int receive(ByteBuffer into) {
        return connection.read(into);
    }

    @Override
    public int send(ByteBuffer from) {
        return connection.write(from);
    }

    @Override
    public void subscribe(int events, Schedulable waiter) {
        connection.subscribe(events, waiter);
    }

    @Override
    public void unsubscribe(int events, Schedulable waiter) {
        connection.unsubscribe(events, waiter);
    }

    @Override
    public boolean isSubscribed(int events, Schedulable waiter) {
        return connection.isSubscribed(events, waiter);
    }

    @Override
    public void shutdownWrite() {
        connection.shutdownWrite();
    }

    @Override
    public boolean isError() {
        return connection.isError();
    }

    @Override
    public boolean isReadShut() {
        return connection.isReadShut();
    }
}
