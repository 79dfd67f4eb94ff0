package org.muxgate.transport;

import static java.nio.channels.SelectionKey.OP_CONNECT;
import static java.nio.channels.SelectionKey.OP_READ;
import static java.nio.channels.SelectionKey.OP_WRITE;
import static org.muxgate.api.scheduler.TaskState.HEAVY;
import static org.muxgate.api.scheduler.TaskState.WOKEN_INIT;
import static org.muxgate.api.scheduler.TaskState.WOKEN_IO;
import static org.muxgate.api.scheduler.TaskState.WOKEN_MSG;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;

import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.transport.tls.ClientTlsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP connection driven by the selector of its worker thread: its socket, its
 * transport layer, its mux, its owner and target, its flags and its two waiters.
 *
 * <p>Threads: everything runs on {@link #thread()}, without locks, except
 * {@link #requestClose()} (any thread) and the reads of {@link #proto()} by the
 * mux registry. The connection's own tasklet does what other threads ask of it:
 * the registration of an accepted socket in the poller of the thread it was given
 * to, and closes requested from elsewhere.
 *
 * <p>A server connection shared through a {@link ServerPool} may change thread:
 * another thread's stream takes it over while it is listed idle, under the owner
 * thread's idle-connections lock, which orders everything the owner did before
 * listing it with everything the new owner does after. What the owner thread may
 * still do while the connection is listed is to hand readiness to it from its
 * poller; {@link #ioOwner} excludes that from a takeover: the poller's dispatch
 * and the takeover each claim the word by CAS, and a takeover finding it claimed
 * fails. Frontend and private connections never move and never touch the word.
 *
 * <p>TLS: a connection with a {@link TlsLayer} runs its handshake in its own tasklet,
 * flagged heavy meanwhile, before anything else: an accepted one gets its mux only
 * then, chosen by ALPN, and within the frontend's handshake timeout; one to a server
 * stays {@link #isConnecting() connecting} until then, under the caller's connect
 * timeout. Readiness during the handshake goes to the tasklet, not to the waiters.
 *
 * <p>Interest ops: the last value set is kept in {@link #interest} and the key is
 * touched only when it changes. A waiter is woken once; its interest stays set
 * until readiness comes with no waiter, so a waiter that resubscribes at once
 * (the common case) costs no system call. The socket is registered in its poller
 * only when it first needs readiness, as HAProxy polls a descriptor only once
 * speculative I/O on it failed: a client whose request was read at once, and
 * whose response went out whole, is never polled, and its close is then the plain
 * {@code close} the JDK makes of a channel no selector holds (a registered one
 * costs a {@code getsockopt} and a {@code shutdown} more, and the descriptor is
 * released only at the next select).
 */
public final class NioConnection implements Connection, IoHandler, TaskProcess {

    private static final Logger LOG = LoggerFactory.getLogger(NioConnection.class);

    /** The socket failed. */
    public static final int FL_ERROR = 1;
    /** The peer shut its side: nothing more to read. */
    public static final int FL_READ_SHUT = 1 << 1;
    /** Our side is shut: nothing more to write. */
    public static final int FL_WRITE_SHUT = 1 << 2;
    /** The TLS handshake is under way: the connection's tasklet owns the socket. */
    public static final int FL_HANDSHAKE = 1 << 3;
    /** A connect is in progress. */
    public static final int FL_CONNECTING = 1 << 4;
    /** The socket is closed. */
    public static final int FL_CLOSED = 1 << 5;

    private final Transport transport;
    private final SocketChannel channel;
    /** Written only by a takeover, under the old owner's idle lock; read by any thread. */
    private volatile int thread;
    private final InetSocketAddress peer;
    /** The listener that accepted it, for its limits; null for a connection to a server. */
    private final Listener listener;
    /** Bound to {@link #thread}; replaced with it by a takeover. */
    private volatile Tasklet tasklet;
    private final TransportLayer xprt;
    /** The same object as {@link #xprt} for a TLS connection, else null. */
    private final TlsLayer tls;
    /** Bounds an accepted connection's handshake; null once it is over or without TLS. */
    private Task handshakeTimer;
    /** The protocol ALPN chose, or null. */
    private String alpn;
    /** Bytes a mux read and handed to its successor ({@link #switchMux}), read first; null when none. */
    private ByteBuffer pushback;

    /** Null until the socket first needs readiness, and again after a takeover. */
    private SelectionKey key;
    /** Started on its thread: an accepted connection by {@link #start()}, one to a server as it connects. */
    private boolean started;
    /** The two buffers of a {@link #write(ByteBuffer, ByteBuffer)}, kept so that it allocates nothing; empty between calls. */
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private int interest;
    private int flags;
    /**
     * Bytes were written since the peer last sent any: they may still wait in the
     * socket's send queue, which a reset would discard ({@link #resetOnClose()}).
     */
    private boolean unanswered;
    private Schedulable recvWaiter;
    private Schedulable sendWaiter;
    private Mux mux;
    /** Read by the registry's sweeps on any thread. */
    private volatile MuxProto proto;
    private volatile boolean closeRequested;
    /** A graceful stop was asked ({@link #requestGracefulStop()}); its mux is told once. */
    private volatile boolean stopRequested;
    private boolean stopNoticed;
    private Object owner;
    private Object target;

    /**
     * For a pooled connection: {@code thread << 1}, with bit 0 set while the poller
     * of that thread dispatches readiness or a takeover moves the connection.
     */
    @SuppressWarnings("unused") // through IO_OWNER
    private volatile int ioOwner;
    private static final VarHandle IO_OWNER;
    static {
        try {
            IO_OWNER = MethodHandles.lookup().findVarHandle(NioConnection.class, "ioOwner", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Membership of a ServerPool, which alone uses these fields, under its rules.
    ServerPool pool;
    long poolKey;
    int poolState;
    /** Listed in the safe list rather than the idle one. */
    boolean poolSafe;
    NioConnection poolPrev;
    NioConnection poolNext;
    /** In its thread's available list (a multiplexed connection in use with room for a stream). */
    boolean poolAvailable;
    NioConnection availablePrev;
    NioConnection availableNext;

    /** @param engine the TLS engine of the connection, before its handshake; null for plain TCP */
    NioConnection(Transport transport, SocketChannel channel, int thread, InetSocketAddress peer,
            Listener listener, SSLEngine engine) {
        this.transport = transport;
        this.tls = engine == null ? null : new TlsLayer(engine);
        this.xprt = tls == null ? TransportLayer.RAW : tls;
        this.channel = channel;
        this.thread = thread;
        this.peer = peer;
        this.listener = listener;
        this.tasklet = transport.scheduler().newTasklet(thread, this, this);
        this.ioOwner = thread << 1;
        transport.registry().connections().add(this);
    }

    /**
     * Starts a connect to {@code address} from the calling worker thread, which the
     * connection then belongs to. The caller subscribes to {@link IoEvent#SEND} and
     * is woken when the connect completes ({@link #isConnecting()} false) or fails
     * ({@link #isError()}); it bounds the wait with its own timer ({@code timeout connect}).
     * With {@code tls}, the connect completes with the TLS handshake.
     *
     * @param tls the server's TLS settings, or null for plain TCP
     * @throws IOException when the connect fails at once (no route, no free port)
     */
    static NioConnection connect(Transport transport, SelectorPoller poller, InetSocketAddress address,
            ClientTlsContext tls) throws IOException {
        // The address's own family: an IPv6 socket for an IPv4 server costs one more system call.
        SocketChannel channel = SocketChannel.open(address.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        NioConnection connection;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SSLEngine engine = tls == null ? null : tls.newEngine(address.getHostString(), address.getPort());
            connection = new NioConnection(transport, channel, poller.thread(), address, null, engine);
            connection.started = true;
        } catch (IOException | RuntimeException e) {
            SelectorPoller.closeQuietly(channel);
            throw e;
        }
        try {
            if (!channel.connect(address)) {
                connection.flags |= FL_CONNECTING;
                connection.setInterest(OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Any thread: has the connection's thread start the accepted socket and hand it to the listener. */
    void startOnItsThread() {
        tasklet.wakeup(WOKEN_INIT);
    }

    /**
     * The connection's tasklet: starts an accepted socket the first time, runs the
     * TLS handshake, and carries out the closes other threads request.
     */
    @Override
    public Schedulable process(Schedulable task, Object context, int state) {
        if (context == null) {
            // Replaced by a takeover: the connection has a tasklet on its new thread.
            task.free();
            return null;
        }
        if (stopRequested && !stopNoticed) {
            stopNoticed = true;
            if (mux != null) {
                mux.stopGracefully();
            } else {
                // Still registering or in its TLS handshake: no request has come to finish.
                closeRequested = true;
            }
        }
        if (closeRequested || (flags & FL_CLOSED) != 0) {
            closeWithError();
            return task;
        }
        if (!started) {
            start();
        } else if ((flags & FL_HANDSHAKE) != 0) {
            advanceHandshake();
        }
        return task;
    }

    /** On the connection's thread: hands an accepted socket to its listener, or begins its handshake. */
    private void start() {
        started = true;
        if (tls == null) {
            listener.connectionStarted(this);
            return;
        }
        long timeout = listener.group().handshakeTimeoutMillis();
        if (timeout > 0) {
            handshakeTimer = transport.scheduler().newTask(1L << thread, NioConnection::handshakeExpired, this);
            handshakeTimer.schedule(transport.scheduler().now() + timeout);
        }
        beginHandshake();
    }

    /** The handshake timer of an accepted connection: closes it if its handshake is still under way. */
    private static Schedulable handshakeExpired(Schedulable task, Object context, int state) {
        NioConnection connection = (NioConnection) context;
        if ((connection.flags & (FL_HANDSHAKE | FL_CLOSED)) != FL_HANDSHAKE) {
            task.free();
            return null;
        }
        if (connection.transport.scheduler().now() >= ((Task) task).expire()) {
            LOG.debug("{}: no TLS handshake within the timeout", connection);
            connection.close();
            task.free();
            return null;
        }
        return task;
    }

    /** On the connection's thread, once its socket is registered and connected. */
    private void beginHandshake() {
        flags |= FL_HANDSHAKE;
        tasklet.setFlags(HEAVY);
        advanceHandshake();
    }

    private void advanceHandshake() {
        TlsLayer.Step step;
        try {
            step = tls.handshake(channel);
        } catch (IOException e) {
            handshakeFailed(e);
            return;
        }
        switch (step) {
            case READ -> setInterest(OP_READ);
            case WRITE -> setInterest(OP_WRITE);
            case DONE -> handshakeDone();
        }
    }

    private void handshakeDone() {
        flags &= ~FL_HANDSHAKE;
        tasklet.clearFlags(HEAVY);
        if (handshakeTimer != null) {
            handshakeTimer.kill();
            handshakeTimer = null;
        }
        alpn = tls.applicationProtocol();
        // The mux, or the waiters, subscribe anew.
        setInterest(0);
        if (listener != null) {
            listener.connectionStarted(this);
        } else {
            flags &= ~FL_CONNECTING;
            wakeWaiters();
        }
    }

    private void handshakeFailed(IOException e) {
        tasklet.clearFlags(HEAVY);
        if (listener != null) {
            // HAProxy logs these as "SSL handshake failure": a client's fault, not ours.
            LOG.info("frontend {}: TLS handshake failure from {}: {}", listener.group().name(), peer, e.getMessage());
            flags |= FL_ERROR;
            close();
            return;
        }
        LOG.debug("{}: TLS handshake failure: {}", this, e.getMessage());
        flags = (flags & ~(FL_HANDSHAKE | FL_CONNECTING)) | FL_ERROR;
        wakeWaiters();
    }

    private void wakeWaiters() {
        Schedulable recv = recvWaiter;
        Schedulable send = sendWaiter;
        recvWaiter = null;
        sendWaiter = null;
        if (send != null) {
            send.wakeup(WOKEN_IO);
        }
        if (recv != null && recv != send) {
            recv.wakeup(WOKEN_IO);
        }
    }

    /**
     * Any thread: has the connection's mux finish its streams and close it, on its
     * thread ({@link Mux#stopGracefully()}). A close requested later still closes it
     * at once, after the mux was told.
     */
    void requestGracefulStop() {
        stopRequested = true;
        tasklet.wakeup(WOKEN_MSG);
    }

    /**
     * Any thread: closes the connection soon, on its thread. Its waiters are woken
     * and see an error; its mux is told. The mux registry uses it when a mux
     * provider leaves, the transport when it stops.
     */
    public void requestClose() {
        closeRequested = true;
        tasklet.wakeup(WOKEN_MSG);
    }

    private void closeWithError() {
        boolean wasOpen = (flags & FL_CLOSED) == 0;
        flags |= FL_ERROR;
        Schedulable recv = recvWaiter;
        Schedulable send = sendWaiter;
        close();
        if (!wasOpen) {
            return;
        }
        wakeWaiters(recv, send);
        if (mux != null) {
            mux.connectionClosed();
        }
    }

    private static void wakeWaiters(Schedulable recv, Schedulable send) {
        if (recv != null) {
            recv.wakeup(WOKEN_IO);
        }
        if (send != null && send != recv) {
            send.wakeup(WOKEN_IO);
        }
    }

    @Override
    public void ready(int pollerThread, int readyOps) {
        if (pool == null) {
            dispatch(readyOps);
            return;
        }
        int owned = pollerThread << 1;
        if (!IO_OWNER.compareAndSet(this, owned, owned | 1)) {
            // A key of the thread the connection left, or a takeover under way: the
            // new owner's registration reports the same readiness.
            return;
        }
        try {
            dispatch(readyOps);
        } finally {
            ioOwner = owned;
        }
    }

    private void dispatch(int readyOps) {
        if ((readyOps & OP_CONNECT) != 0) {
            finishConnect();
        }
        if ((flags & FL_HANDSHAKE) != 0) {
            tasklet.wakeup(WOKEN_IO);
            return;
        }
        int stale = 0;
        if ((readyOps & OP_READ) != 0) {
            Schedulable waiter = recvWaiter;
            if (waiter != null) {
                recvWaiter = null;
                waiter.wakeup(WOKEN_IO);
            } else {
                stale |= OP_READ;
            }
        }
        if ((readyOps & OP_WRITE) != 0) {
            Schedulable waiter = sendWaiter;
            if (waiter != null) {
                sendWaiter = null;
                waiter.wakeup(WOKEN_IO);
            } else {
                stale |= OP_WRITE;
            }
        }
        if (stale != 0) {
            setInterest(interest & ~stale);
        }
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
            setInterest(interest & ~OP_CONNECT);
            if (tls != null) {
                // Still connecting to the waiters: the tasklet runs the handshake.
                flags |= FL_HANDSHAKE;
                tasklet.setFlags(HEAVY);
                tasklet.wakeup(WOKEN_IO);
                return;
            }
            flags &= ~FL_CONNECTING;
        } catch (IOException e) {
            // The channel closed itself, cancelling the key: only the flags are left to set.
            flags = (flags & ~FL_CONNECTING) | FL_ERROR;
        }
        Schedulable waiter = sendWaiter;
        if (waiter != null) {
            sendWaiter = null;
            waiter.wakeup(WOKEN_IO);
        }
    }

    /** On the connection's thread; the first interest registers the socket in the thread's poller. */
    private void setInterest(int ops) {
        if (ops == interest || (flags & FL_CLOSED) != 0) {
            return;
        }
        if (key != null) {
            if (key.isValid()) {
                interest = ops;
                key.interestOps(ops);
            }
            return;
        }
        try {
            key = SelectorPoller.current().register(channel, this, ops);
            interest = ops;
        } catch (IOException | RuntimeException e) {
            // The channel is closed or broken: its waiters see the error at their next I/O.
            LOG.debug("{}: cannot poll the socket", this, e);
            flags |= FL_ERROR;
            Schedulable recv = recvWaiter;
            Schedulable send = sendWaiter;
            recvWaiter = null;
            sendWaiter = null;
            wakeWaiters(recv, send);
        }
    }

    @Override
    public int thread() {
        return thread;
    }

    @Override
    public boolean isShared() {
        return pool != null;
    }

    /**
     * Makes this new server connection one of {@code pool}'s, shared by the streams
     * of every client: see {@link ServerPool#adopt}. On the connection's thread.
     */
    public void joinPool(ServerPool pool, long key) {
        pool.adopt(this, key);
    }

    @Override
    public boolean offerIdle(boolean safe) {
        return pool != null && pool.offer(this, safe);
    }

    @Override
    public void setAvailable(boolean available) {
        if (pool != null) {
            pool.setAvailable(this, available);
        }
    }

    @Override
    public boolean beginIdleIo(Schedulable tasklet) {
        IdleConnLocks.Reason reason = listener != null ? IdleConnLocks.Reason.IO_FRONTEND
                : IdleConnLocks.Reason.IO_BACKEND;
        // The lock of the thread running the callback, which a takeover holds from start to end;
        // not that of thread(), which a takeover changes midway.
        return ServerPool.beginIo(this, tasklet, transport.idleLocks(), transport.scheduler().currentThread(),
                reason);
    }

    @Override
    public void endIdleIo() {
        if (pool != null) {
            pool.endIo(this);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The old key is cancelled (any thread may); the channel is registered in the
     * calling thread's selector when the mux subscribes anew. The old tasklet is left
     * without context and woken, to free itself on its thread; a close requested
     * meanwhile is passed to the new one.
     */
    @Override
    public boolean takeover() {
        SelectorPoller poller = SelectorPoller.current();
        int from = thread;
        if (pool == null || poller == null || !IO_OWNER.compareAndSet(this, from << 1, poller.thread() << 1 | 1)) {
            return false;
        }
        int to = poller.thread();
        if (key != null) {
            key.cancel();
            key = null;
        }
        Tasklet old = tasklet;
        old.setContext(null);
        old.wakeup(WOKEN_MSG);
        recvWaiter = null;
        sendWaiter = null;
        interest = 0;
        thread = to;
        tasklet = transport.scheduler().newTasklet(to, this, this);
        ioOwner = to << 1;
        if (closeRequested) {
            tasklet.wakeup(WOKEN_MSG);
        }
        return true;
    }

    @Override
    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public int read(ByteBuffer into) {
        if ((flags & (FL_ERROR | FL_READ_SHUT | FL_CLOSED)) != 0) {
            return -1;
        }
        if (pushback != null) {
            int n = Math.min(pushback.remaining(), into.remaining());
            into.put(into.position(), pushback, pushback.position(), n);
            into.position(into.position() + n);
            pushback.position(pushback.position() + n);
            if (!pushback.hasRemaining()) {
                releaseBuffer(pushback);
                pushback = null;
            }
            return n;
        }
        try {
            int n = xprt.read(channel, into);
            if (n > 0) {
                unanswered = false;
            } else if (n < 0) {
                flags |= FL_READ_SHUT;
            }
            return n;
        } catch (IOException e) {
            flags |= FL_ERROR;
            return -1;
        }
    }

    @Override
    public int write(ByteBuffer from) {
        if ((flags & (FL_ERROR | FL_WRITE_SHUT | FL_CLOSED | FL_CONNECTING)) != 0) {
            return refusedWrite();
        }
        try {
            int n = xprt.write(channel, from);
            unanswered |= n > 0;
            return n;
        } catch (IOException e) {
            flags |= FL_ERROR;
            return -1;
        }
    }

    @Override
    public int write(ByteBuffer first, ByteBuffer second) {
        if ((flags & (FL_ERROR | FL_WRITE_SHUT | FL_CLOSED | FL_CONNECTING)) != 0) {
            return refusedWrite();
        }
        gather[0] = first;
        gather[1] = second;
        try {
            int n = (int) xprt.write(channel, gather);
            unanswered |= n > 0;
            return n;
        } catch (IOException e) {
            flags |= FL_ERROR;
            return -1;
        } finally {
            gather[0] = null;
            gather[1] = null;
        }
    }

    /** What a write returns when the flags forbid it: 0 while connecting, else -1. */
    private int refusedWrite() {
        return (flags & FL_CONNECTING) != 0 && (flags & (FL_ERROR | FL_CLOSED)) == 0 ? 0 : -1;
    }

    @Override
    public void drain() {
        ByteBuffer scratch = SelectorPoller.current().drainBuffer();
        int n;
        do {
            scratch.clear();
            n = read(scratch);
        } while (n > 0);
    }

    @Override
    public void subscribe(int events, Schedulable waiter) {
        if ((flags & (FL_CLOSED | FL_ERROR)) != 0) {
            // Nothing will ever be ready: the waiter learns it at once.
            waiter.wakeup(WOKEN_IO);
            return;
        }
        if ((flags & FL_HANDSHAKE) != 0) {
            // The handshake owns the interest; its end wakes the waiters.
            if ((events & IoEvent.RECV) != 0) {
                recvWaiter = waiter;
            }
            if ((events & IoEvent.SEND) != 0) {
                sendWaiter = waiter;
            }
            return;
        }
        int ops = interest;
        if ((events & IoEvent.RECV) != 0) {
            if (pushback != null || xprt.hasBufferedInput()) {
                // Read from the socket already: no readiness would come for it.
                waiter.wakeup(WOKEN_IO);
                if (recvWaiter == waiter) {
                    recvWaiter = null;
                }
            } else {
                recvWaiter = waiter;
                ops |= OP_READ;
            }
        }
        if ((events & IoEvent.SEND) != 0) {
            sendWaiter = waiter;
            ops |= (flags & FL_CONNECTING) != 0 ? OP_CONNECT : OP_WRITE;
        }
        setInterest(ops);
    }

    @Override
    public void unsubscribe(int events, Schedulable waiter) {
        if ((events & IoEvent.RECV) != 0 && recvWaiter == waiter) {
            recvWaiter = null;
        }
        if ((events & IoEvent.SEND) != 0 && sendWaiter == waiter) {
            sendWaiter = null;
        }
    }

    @Override
    public boolean isSubscribed(int events, Schedulable waiter) {
        return ((events & IoEvent.RECV) == 0 || recvWaiter == waiter)
                && ((events & IoEvent.SEND) == 0 || sendWaiter == waiter);
    }

    @Override
    public void shutdownWrite() {
        if ((flags & (FL_WRITE_SHUT | FL_CLOSED | FL_ERROR)) != 0) {
            return;
        }
        flags |= FL_WRITE_SHUT;
        try {
            xprt.shutdownWrite(channel);
        } catch (IOException e) {
            flags |= FL_ERROR;
        }
    }

    @Override
    public void close() {
        if ((flags & FL_CLOSED) != 0) {
            return;
        }
        if ((flags & FL_ERROR) == 0) {
            xprt.closing(channel);
        }
        if (listener == null && !unanswered && (flags & (FL_READ_SHUT | FL_WRITE_SHUT)) == 0 && channel.isOpen()) {
            resetOnClose();
        }
        flags |= FL_CLOSED;
        recvWaiter = null;
        sendWaiter = null;
        if (key != null) {
            key.cancel();
        }
        if (handshakeTimer != null) {
            handshakeTimer.kill();
            handshakeTimer = null;
        }
        if (pushback != null) {
            releaseBuffer(pushback);
            pushback = null;
        }
        SelectorPoller.closeQuietly(channel);
        tasklet.kill();
        if (pool != null) {
            pool.closed(this);
        }
        transport.registry().connections().remove(this);
        if (listener != null) {
            listener.connectionEnded(this);
        }
    }

    /**
     * A connection to a server that we close while neither side has shut, and after
     * the server answered all we wrote, ends with a reset, as HAProxy closes server
     * connections (its linger risk): the exchange is over or abandoned, nothing is
     * owed. A FIN would leave the socket in TIME_WAIT on our side for a minute,
     * holding its ephemeral port: with a new connection per request, the ports run
     * out and every connect searches for one. The close stays orderly after a
     * {@link #shutdownWrite()} or with bytes written since the server last sent any,
     * which may still be in flight; once the server has shut its side, a FIN costs
     * it nothing.
     */
    private void resetOnClose() {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            // Closing anyway: the close is an orderly one.
        }
    }

    @Override
    public boolean isError() {
        return (flags & FL_ERROR) != 0;
    }

    @Override
    public boolean isReadShut() {
        return (flags & FL_READ_SHUT) != 0;
    }

    @Override
    public boolean isWriteShut() {
        return (flags & FL_WRITE_SHUT) != 0;
    }

    @Override
    public boolean isClosed() {
        return (flags & FL_CLOSED) != 0;
    }

    /** @return whether a close was requested from another thread; any thread */
    boolean isCloseRequested() {
        return closeRequested;
    }

    /** @return whether the socket is registered in its poller, as it is from its first wait for readiness; on its thread */
    boolean isPolled() {
        return key != null;
    }

    /** @return whether a connect is still in progress */
    public boolean isConnecting() {
        return (flags & FL_CONNECTING) != 0;
    }

    /** @return the flags, {@code FL_*} bits */
    public int flags() {
        return flags;
    }

    @Override
    public Mux mux() {
        return mux;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The new mux is chosen and installed by the registry, with the listener's
     * mode and stream opener. A provider leaving between the check and the install
     * closes the connection, as when no mux is there for a new one.
     */
    @Override
    public boolean switchMux(String proto, ByteBuffer alreadyRead) {
        if (listener == null) {
            throw new IllegalStateException("only a client connection switches its mux");
        }
        MuxRegistry registry = transport.registry();
        if (registry.select(proto, null, listener.group().mode(), ProtoSide.FRONTEND) == null) {
            return false;
        }
        pushback = alreadyRead.hasRemaining() ? alreadyRead : null;
        if (pushback == null) {
            releaseBuffer(alreadyRead);
        }
        mux = null;
        if (registry.install(this, proto, listener.group().mode(), ProtoSide.FRONTEND, listener.group().opener())
                == null) {
            closeWithError();
        }
        return true;
    }

    /** @return the protocol ALPN chose in the TLS handshake, or null */
    public String alpn() {
        return alpn;
    }

    @Override
    public boolean isTls() {
        return tls != null;
    }

    /** @return the protocol of the installed mux, or null; any thread */
    public MuxProto proto() {
        return proto;
    }

    /** Called by the registry as it installs a mux: the protocol first, so that sweeps see it. */
    void setProto(MuxProto proto) {
        this.proto = proto;
    }

    /** Called by the registry once the mux is created; on the connection's thread. */
    void setMux(Mux mux) {
        this.mux = mux;
    }

    @Override
    public Object owner() {
        return owner;
    }

    @Override
    public void setOwner(Object owner) {
        this.owner = owner;
    }

    @Override
    public ByteBuffer acquireBuffer() {
        return transport.buffers().acquire(thread);
    }

    @Override
    public void releaseBuffer(ByteBuffer buffer) {
        transport.buffers().release(thread, buffer);
    }

    /** @return the server a connection goes to, or null for an accepted connection */
    public Object target() {
        return target;
    }

    /** Sets the target server; on the connection's thread. */
    public void setTarget(Object target) {
        this.target = target;
    }

    Transport transport() {
        return transport;
    }

    /** @return the listener that accepted the connection, or null for one made to a server */
    Listener listener() {
        return listener;
    }

    @Override
    public String toString() {
        return "connection " + (listener != null ? "from " : "to ") + peer + " on thread " + thread;
    }
}
