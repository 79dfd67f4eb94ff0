package org.muxgate.transport;

import java.nio.ByteBuffer;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.StreamEndpoint;

/**
 * A test mux for frontend connections: sends back what it receives, through the
 * subscribe API, with a heap buffer of its own, and closes at end of stream.
 */
final class EchoMux implements Mux, TaskProcess {

    /** The protocol of the echo mux, token {@code echo}, mode tcp, frontend side. */
    static MuxProto proto(Scheduler scheduler) {
        return TransportTestSupport.tcpFrontendProto("echo", connection -> {
            EchoMux mux = new EchoMux(connection, scheduler);
            mux.tasklet.wakeup(TaskState.WOKEN_INIT);
            return mux;
        });
    }

    private final Connection connection;
    private final Tasklet tasklet;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);

    private EchoMux(Connection connection, Scheduler scheduler) {
        this.connection = connection;
        this.tasklet = scheduler.newTasklet(connection.thread(), this, this);
    }

    @Override
    public Schedulable process(Schedulable task, Object context, int state) {
        while (true) {
            if (buffer.position() > 0) {
                buffer.flip();
                int written = connection.write(buffer);
                buffer.compact();
                if (written < 0) {
                    connection.close();
                    return null;
                }
                if (buffer.position() > 0) {
                    connection.subscribe(IoEvent.SEND, tasklet);
                    return task;
                }
            }
            int read = connection.read(buffer);
            if (read < 0) {
                connection.close();
                return null;
            }
            if (read == 0) {
                connection.subscribe(IoEvent.RECV, tasklet);
                return task;
            }
        }
    }

    @Override
    public StreamEndpoint attach() {
        return null;
    }

    @Override
    public void connectionClosed() {
        tasklet.kill();
    }

    @Override
    public int streams() {
        return 0;
    }
}
