package org.muxgate.mux.h1;

import java.nio.ByteBuffer;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpEndpoint;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.http.HttpSettings;
import org.muxgate.api.http.HttpStreamOpener;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.scheduler.Tasklet;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.StreamEndpoint;

/**
 * The HTTP/1.x mux of one connection, which is also its only stream endpoint: one
 * transaction at a time, a request then its response(s), with keep-alive. The same
 * class drives both sides; the side is whether it has an opener.
 *
 * <p>Frontend (a client's connection): the mux reads and parses a request head
 * into its own message, then opens a stream, which takes the head and the body with
 * {@link #receiveMessage} and sends the response with {@link #sendMessage}.
 * Pipelined requests wait in the input buffer until the stream detached, keeping
 * the connection, after the whole response was written. The mux answers a
 * malformed head itself with the error page and closes, and guards the wait for a
 * head with its task's timer: {@code timeout http-request} for a head (408 when
 * part of one came), {@code timeout http-keep-alive} for the first byte of the
 * next request (then a silent close), both falling back to {@code timeout client}.
 *
 * <p>Backend (a server's connection): a stream {@link #attach}es, sends the
 * request and receives the response, interim ones included. Detaching with
 * {@code keepConnection} keeps the connection idle only after a clean exchange;
 * the mux's I/O tasklet then watches it and closes it when the server sends
 * anything or closes (HAProxy's idle connection with its mux's own context). A
 * shared connection ({@link Connection#isShared()}) goes to its server's idle
 * lists, where a stream of another thread may {@link #takeover()} it: the tasklet
 * then carries {@code TaskState.USR1}, and only with that flag does its callback
 * take the idle lock to learn whether it still owns the connection. Without the
 * flag (a stream is attached, or the connection is private or a client's) the
 * callback takes no lock at all.
 *
 * <p>After a {@code 101} answering an upgrade request, both directions carry raw
 * bytes: data blocks in messages, or {@link #receive}/{@link #send}.
 *
 * <p>I/O: the stream's subscriptions go to the connection, except that a stream
 * is woken at once when the input buffer already holds what it waits for (no
 * socket event would come), and is parked when nothing more can come for its
 * message (so a frontend stream waiting for its server does not watch the client:
 * it learns that the client left when it sends; pipelined bytes stay unread).
 * The mux's task is subscribed when the mux drives the connection itself:
 * reading a head, flushing output nobody else flushes, closing, watching idle.
 * Buffers come from the connection's pool and go back as soon as they are empty.
 *
 * <p>Called on the connection's thread only, as every mux, but for {@link
 * #takeover()}, which comes from the thread the connection moves to under the
 * idle lock of its old one; the frontend's task and the backend's tasklet are
 * bound to the connection's thread.
 */
final class H1Mux implements Mux, HttpEndpoint, TaskProcess {

    private final Connection connection;
    private final Scheduler scheduler;
    /** The proxy's side of a frontend connection; null for a server connection. */
    private final HttpStreamOpener opener;
    private final HttpSettings settings;
    private final H1Parser parser;
    private final H1Formatter formatter;
    /** Frontend: the request head parsed before a stream exists, until the stream takes it. */
    private final HttpMessage head;
    private final AsciiSequence view = new AsciiSequence();
    /** Frontend: reads heads, flushes and closes, with the timers of those waits. */
    private Task task;
    /** Backend: flushes, closes and watches idle; created when first needed, anew by a takeover. */
    private Tasklet io;
    /** What the mux subscribes for its own work: {@link #task} or {@link #io}. */
    private Schedulable driver;
    /** Backend: the transactions the connection carried, to tell a safe connection from an idle one. */
    private int transactions;
    /** Frontend: a request head came; only before it may the client switch to HTTP/2 by its preface. */
    private boolean requestSeen;
    /** Frontend: the proxy stops: the exchange under way is the connection's last. */
    private boolean stopping;

    /** Unread input between position and limit; null when there is none. */
    private ByteBuffer in;
    /** Output not yet written, before its position; null when there is none. */
    private ByteBuffer out;
    /**
     * Output that follows {@link #out}, formatted once {@code out} filled up with the
     * message not finished: both leave in one gathering write, so that a message just
     * over a buffer makes one segment (HAProxy sends the first part with MSG_MORE).
     * Null when none; never set while {@code out} is null.
     */
    private ByteBuffer outNext;
    /** An error page, written raw after {@link #out} before closing. */
    private ByteBuffer errorPage;

    private boolean attached;
    /** The connection closes once its output is written (frontend). */
    private boolean closing;
    /** Waiting for the first byte of a request on a kept-alive connection (frontend). */
    private boolean keepAliveWait;
    /** The timer of the wait for a request head is set (frontend). */
    private boolean waitArmed;
    /** A peer's message was malformed or cut, or the connection failed: never reused. */
    private boolean failed;
    private int errorStatus;
    /** The stream asked for a write shutdown while output was still pending. */
    private boolean shutdownPending;
    /** The opener was told the connection ended: it is told once. */
    private boolean ended;
    /**
     * The input holds what the stream's next receive can use without reading: the
     * message had no room left, or an interim response or a tunnel's first bytes
     * came behind the message just delivered. No socket event would announce it.
     */
    private boolean inputPending;
    /** A stream waiting for input when nothing more can come for its message. */
    private Schedulable parkedReceiver;
    /** The stream's last waiter for {@link IoEvent#SEND}: while it waits, it writes the pending output. */
    private Schedulable sender;

    private H1Mux(Connection connection, Scheduler scheduler, HttpStreamOpener opener) {
        this.connection = connection;
        this.scheduler = scheduler;
        this.opener = opener;
        boolean frontend = opener != null;
        this.settings = frontend ? opener.httpSettings() : null;
        this.parser = new H1Parser(!frontend);
        this.formatter = new H1Formatter(frontend);
        this.head = frontend ? new HttpMessage(settings.maxHeaders()) : null;
    }

    /** Installs a frontend mux, which starts waiting for the first request. */
    static H1Mux frontend(Connection connection, Scheduler scheduler, HttpStreamOpener opener) {
        H1Mux mux = new H1Mux(connection, scheduler, opener);
        mux.task = scheduler.newTask(1L << connection.thread(), mux, mux);
        mux.driver = mux.task;
        mux.waitForRequest(false);
        return mux;
    }

    /** Installs a backend mux; its stream comes with {@link #attach()}. */
    static H1Mux backend(Connection connection, Scheduler scheduler) {
        return new H1Mux(connection, scheduler, null);
    }

    // ---------------------------------------------------------------- the mux's own task

    /**
     * The mux's task: flushes output, then, with no stream attached, closes, reads
     * the next request head (frontend) or watches the idle connection (backend).
     * A backend tasklet flagged {@code USR1} belongs to a connection listed idle:
     * it first checks, under the idle lock, that no other thread took it over.
     */
    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        if (context == null) {
            // Left behind by a takeover: the mux lives on with a tasklet on another thread.
            self.free();
            return null;
        }
        if ((state & TaskState.USR1) == 0) {
            return connection.isClosed() ? null : drive();
        }
        if (!connection.beginIdleIo(self)) {
            self.free();
            return null;
        }
        Schedulable next = connection.isClosed() ? null : drive();
        if (next != null) {
            connection.endIdleIo();
        }
        return next;
    }

    /** The work of the task's run. @return the task, or null once the connection is closed */
    private Schedulable drive() {
        if (!flush()) {
            destroy();
            return null;
        }
        if (attached) {
            flushLater();
            return driver;
        }
        if (hasOutput()) {
            // Only a frontend gets here: a backend connection is kept only with nothing to write.
            if (expired()) {
                destroy();
                return null;
            }
            // The client has the client timeout to take each part of the output.
            arm(settings.clientTimeout());
            connection.subscribe(IoEvent.SEND, task);
            return task;
        }
        if (closing) {
            // Unread bytes would make the close a reset, which could lose what was written;
            // the close itself sends the FIN.
            connection.drain();
            destroy();
            return null;
        }
        return opener == null ? watchIdle() : readRequestHead();
    }

    /**
     * Backend, idle: a server has nothing to say between responses, so anything from
     * it (data, a close, an error) ends the connection. The task may also run for an
     * older reason (a flush), hence the check.
     */
    private Schedulable watchIdle() {
        ByteBuffer scratch = connection.acquireBuffer();
        int n = connection.read(scratch);
        connection.releaseBuffer(scratch);
        if (n != 0) {
            destroy();
            return null;
        }
        connection.subscribe(IoEvent.RECV, io);
        return io;
    }

    /** Frontend: parses a request head and opens its stream, or waits for more of it. */
    private Schedulable readRequestHead() {
        if (!waitArmed) {
            // From the end of the previous response's output, not from the stream's detach.
            waitArmed = true;
            long request = firstNonZero(settings.requestTimeout(), settings.clientTimeout());
            arm(keepAliveWait ? firstNonZero(settings.keepAliveTimeout(), request) : request);
        }
        for (;;) {
            if (in != null) {
                if (keepAliveWait) {
                    // The next request has begun: it now has the head's time.
                    keepAliveWait = false;
                    arm(firstNonZero(settings.requestTimeout(), settings.clientTimeout()));
                }
                if (!requestSeen) {
                    int preface = H2Preface.match(in);
                    if (preface == H2Preface.PARTIAL) {
                        // Perhaps HTTP/2: nothing is parsed before the preface is whole or broken.
                        int n = read();
                        if (n < 0) {
                            destroy();
                            return null;
                        }
                        if (n > 0) {
                            continue;
                        }
                        break;
                    }
                    if (preface == H2Preface.WHOLE && switchToH2()) {
                        return null;
                    }
                }
                if (!head.hasBuffer()) {
                    head.attach(connection.acquireBuffer());
                }
                int result = parser.parseHead(in, head);
                releaseInputIfEmpty();
                if (result == H1Parser.HEAD || result == H1Parser.ENDED) {
                    return openStream() ? task : null;
                }
                if (result == H1Parser.ERROR) {
                    return answerAndClose(parser.errorStatus());
                }
                releaseHeadBuffer();
            }
            int n = read();
            if (n < 0) {
                destroy();
                return null;
            }
            if (n == 0) {
                break;
            }
        }
        // Checked after reading: a request that came just in time is served.
        if (expired()) {
            if (in == null) {
                destroy();
                return null;
            }
            // Part of a head came, too slowly.
            return answerAndClose(408);
        }
        connection.subscribe(IoEvent.RECV, task);
        return task;
    }

    /**
     * The client spoke the HTTP/2 preface on an HTTP/1 bind: the connection goes to the
     * h2 mux with what was read, as HAProxy does. Without an h2 mux the preface is
     * parsed as a request line and refused.
     *
     * @return whether the connection left this mux
     */
    private boolean switchToH2() {
        ByteBuffer read = in;
        if (!connection.switchMux(H2Preface.TOKEN, read)) {
            return false;
        }
        in = null;
        // Nothing else is this mux's: the h2 mux reports the connection's end.
        ended = true;
        release();
        return true;
    }

    private boolean openStream() {
        requestSeen = true;
        task.setExpire(Task.ETERNITY);
        int line = head.startLine();
        formatter.answer(head.version(), head.flags(), head.method(line, view).contentEquals("HEAD", false));
        attached = true;
        if (!opener.openStream(this)) {
            attached = false;
            destroy();
            return false;
        }
        return true;
    }

    /** Sends the error page for {@code status}, then closes. Within the task's run. */
    private Schedulable answerAndClose(int status) {
        failed = true;
        errorStatus = status;
        byte[] page = settings.errorPage(status);
        if (page == null) {
            page = settings.errorPage(400);
        }
        errorPage = ByteBuffer.wrap(page);
        dropInput();
        closeAfterOutput();
        return drive();
    }

    /** Frontend: waits for the next request, for the first byte of it if the connection was kept alive. */
    private void waitForRequest(boolean keptAlive) {
        keepAliveWait = keptAlive;
        waitArmed = false;
        task.wakeup(TaskState.WOKEN_OTHER);
    }

    /** Frontend: the connection closes once its output is written, within the client timeout. */
    private void closeAfterOutput() {
        closing = true;
        arm(settings.clientTimeout());
    }

    private boolean expired() {
        return scheduler.now() >= task.expire();
    }

    private void arm(long timeout) {
        task.setExpire(timeout > 0 ? scheduler.now() + timeout : Task.ETERNITY);
    }

    private static long firstNonZero(long a, long b) {
        return a != 0 ? a : b;
    }

    /** Backend: creates the I/O tasklet on first need; a frontend has its task from the start. */
    private void ensureDriver() {
        if (driver == null) {
            io = scheduler.newTasklet(connection.thread(), this, this);
            driver = io;
        }
    }

    // ---------------------------------------------------------------- Mux

    @Override
    public StreamEndpoint attach() {
        if (opener != null || attached || connection.isClosed() || failed) {
            return null;
        }
        if (io != null) {
            io.clearFlags(TaskState.USR1);
            connection.unsubscribe(IoEvent.RECV, io);
        }
        parser.next();
        formatter.next();
        attached = true;
        transactions++;
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An idle client connection closes now (a partly received request head with
     * it, as HAProxy does); one with an exchange under way answers with
     * {@code connection: close} if its response has not started, and closes after it.
     */
    @Override
    public void stopGracefully() {
        if (opener == null || failed) {
            return;
        }
        stopping = true;
        if (attached) {
            formatter.closeAfterResponse();
            return;
        }
        dropInput();
        closeAfterOutput();
        task.wakeup(TaskState.WOKEN_OTHER);
    }

    @Override
    public void detach(boolean keepConnection) {
        attached = false;
        parkedReceiver = null;
        sender = null;
        if (!keepConnection || stopping || !exchangeComplete()) {
            if (opener == null) {
                destroy();
                return;
            }
            closeAfterOutput();
            task.wakeup(TaskState.WOKEN_OTHER);
            return;
        }
        if (opener == null) {
            ensureDriver();
            // Woken when the server closes or talks out of turn.
            if (connection.isShared()) {
                // Flagged before it is listed: from then on another thread may take it.
                io.setFlags(TaskState.USR1);
                connection.subscribe(IoEvent.RECV, io);
                if (!connection.offerIdle(transactions > 1)) {
                    destroy();
                }
                return;
            }
            connection.subscribe(IoEvent.RECV, io);
            return;
        }
        parser.next();
        formatter.next();
        head.reset();
        waitForRequest(true);
    }

    /** @return whether the connection may carry another transaction */
    private boolean exchangeComplete() {
        return !failed && parser.isDone() && parser.keepsConnection() && formatter.isDone()
                && !formatter.closesConnection() && !connection.isError() && !connection.isWriteShut()
                // A server has nothing to say between responses; a client may have pipelined
                // requests, which are served even if it shut its side after them.
                && (opener != null ? in != null || !connection.isReadShut()
                        : in == null && out == null && !connection.isReadShut());
    }

    @Override
    public void connectionClosed() {
        Schedulable parked = parkedReceiver;
        parkedReceiver = null;
        release();
        if (parked != null) {
            parked.wakeup(TaskState.WOKEN_IO);
        }
    }

    /** Closes the connection now and releases what the mux holds. */
    private void destroy() {
        connection.close();
        release();
    }

    private void release() {
        failed = true;
        dropInput();
        if (out != null) {
            connection.releaseBuffer(out);
            out = null;
        }
        if (outNext != null) {
            connection.releaseBuffer(outNext);
            outNext = null;
        }
        errorPage = null;
        if (head != null) {
            head.reset();
            releaseHeadBuffer();
        }
        if (driver != null) {
            driver.kill();
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

    /**
     * {@inheritDoc}
     *
     * <p>An idle backend connection holds no buffer and no output, so only the
     * socket's registration and the tasklet move.
     */
    @Override
    public boolean takeover() {
        if (opener != null || attached || io == null || !connection.takeover()) {
            return false;
        }
        Tasklet old = io;
        io = scheduler.newTasklet(connection.thread(), this, this);
        driver = io;
        old.setContext(null);
        old.wakeup(TaskState.WOKEN_OTHER);
        return true;
    }

    // ---------------------------------------------------------------- HttpEndpoint

    /**
     * {@inheritDoc}
     *
     * <p>The result counts the bytes {@code into} grew by, block headers included,
     * and is 1 when only the end of the message came (a body delimited by the close):
     * positive whenever there is something new to look at.
     */
    @Override
    public int receiveMessage(HttpMessage into) {
        if (failed || connection.isClosed()) {
            return -1;
        }
        int before = into.used();
        boolean wasEnded = into.isEnded();
        if (head != null && !head.isEmpty()) {
            // The head parsed before the stream existed goes first.
            into.moveFrom(head);
            if (!head.isEmpty()) {
                return progress(into, before, wasEnded);
            }
            releaseHeadBuffer();
        }
        if (opener == null && parser.isWaitingHead()) {
            parser.expectResponse(formatter.isHeadRequest(), formatter.isUpgradeRequest());
        }
        int result = parseInput(into);
        inputPending = in != null && (result == H1Parser.NEED_ROOM || (result == H1Parser.ENDED && !receivedAll()));
        if (parser.isTunnel()) {
            formatter.startTunnel();
        }
        if (result == H1Parser.ERROR) {
            failed = true;
            errorStatus = parser.errorStatus();
            return -1;
        }
        int progress = progress(into, before, wasEnded);
        // A tunnel whose peer left: the end of the stream, not an error.
        return progress == 0 && parser.isTunnel() && connection.isReadShut() && in == null ? -1 : progress;
    }

    /** Parses and reads until the message ends, {@code into} is full, or the socket is empty. */
    private int parseInput(HttpMessage into) {
        if (parser.isDone() || into.isEnded() || (opener != null && parser.isWaitingHead())) {
            // Nothing more for this stream: a next message belongs to the next transaction.
            return H1Parser.ENDED;
        }
        for (;;) {
            int result = in == null ? H1Parser.NEED_INPUT : parser.parse(in, into);
            if (result != H1Parser.NEED_INPUT || into.isEnded()) {
                releaseInputIfEmpty();
                return result;
            }
            int n = read();
            if (n == 0) {
                return H1Parser.NEED_INPUT;
            }
            if (n < 0) {
                return parser.endOfInput(in != null, into);
            }
        }
    }

    private static int progress(HttpMessage into, int before, boolean wasEnded) {
        int grown = into.used() - before;
        return grown > 0 ? grown : into.isEnded() && !wasEnded ? 1 : 0;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The result counts the bytes written to the output buffer; what the socket did
     * not take yet is written later by the mux itself. A malformed message from the
     * peer does not stop sending: the stream answers it with its error response.
     */
    @Override
    public int sendMessage(HttpMessage from) {
        if (connection.isClosed() || connection.isError() || connection.isWriteShut()) {
            return -1;
        }
        int total = 0;
        boolean deferred = false;
        for (;;) {
            ByteBuffer target = outputTarget();
            int n = formatter.format(from, target);
            total += n;
            boolean more = !formatter.isDone() && !formatter.isTunnel();
            if (more && target == out && !out.hasRemaining()) {
                // The rest goes to outNext and leaves with this in one write.
                continue;
            }
            if (from.isEmpty() && target.hasRemaining() && more) {
                // More of the message is to come and there is room for it: what the stream
                // sends next in this run leaves in the same write; the mux's task, woken now,
                // writes what is here after the streams of this run otherwise.
                deferred = true;
                break;
            }
            if (!flush()) {
                failed = true;
                return -1;
            }
            if (n == 0 || from.isEmpty() || out != null) {
                break;
            }
        }
        if (formatter.isTunnel()) {
            parser.startTunnel();
        }
        if (deferred) {
            ensureDriver();
            driver.wakeup(TaskState.WOKEN_MSG);
        } else {
            flushLater();
        }
        return total;
    }

    /**
     * @return where output is formatted next: {@link #out} while it has room and
     *         nothing follows it, else {@link #outNext} (acquired when needed), so
     *         that output stays in order after a partial write of both
     */
    private ByteBuffer outputTarget() {
        if (out == null) {
            out = connection.acquireBuffer();
            return out;
        }
        if (outNext == null && out.hasRemaining()) {
            return out;
        }
        if (outNext == null) {
            outNext = connection.acquireBuffer();
        }
        return outNext;
    }

    /**
     * Has the mux's task write the pending output, unless the stream waits to send
     * (it writes the output when it comes back): the stream may have nothing more to
     * send and never come back for those bytes.
     */
    private void flushLater() {
        if (hasOutput() && (sender == null || !connection.isSubscribed(IoEvent.SEND, sender))) {
            ensureDriver();
            connection.subscribe(IoEvent.SEND, driver);
        }
    }

    @Override
    public int errorStatus() {
        return errorStatus;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    /**
     * Raw bytes of a tunnel (after a {@code 101}).
     *
     * @throws IllegalStateException outside a tunnel: HTTP is read with {@link #receiveMessage}
     */
    @Override
    public int receive(ByteBuffer into) {
        if (!parser.isTunnel()) {
            throw new IllegalStateException("raw bytes are read only after an upgrade");
        }
        if (in == null) {
            return connection.read(into);
        }
        int n = Math.min(in.remaining(), into.remaining());
        into.put(into.position(), in, in.position(), n);
        into.position(into.position() + n);
        in.position(in.position() + n);
        releaseInputIfEmpty();
        return n;
    }

    /**
     * Raw bytes of a tunnel (after a {@code 101}), written after the output pending.
     *
     * @throws IllegalStateException outside a tunnel: HTTP is sent with {@link #sendMessage}
     */
    @Override
    public int send(ByteBuffer from) {
        if (!formatter.isTunnel()) {
            throw new IllegalStateException("raw bytes are sent only after an upgrade");
        }
        if (!flush()) {
            return -1;
        }
        return hasOutput() ? 0 : connection.write(from);
    }

    @Override
    public void subscribe(int events, Schedulable waiter) {
        if ((events & IoEvent.RECV) != 0) {
            if (canReceive()) {
                waiter.wakeup(TaskState.WOKEN_IO);
            } else if (receivedAll()) {
                parkedReceiver = waiter;
            } else {
                connection.subscribe(IoEvent.RECV, waiter);
            }
        }
        if ((events & IoEvent.SEND) != 0) {
            sender = waiter;
            connection.subscribe(IoEvent.SEND, waiter);
        }
    }

    @Override
    public void unsubscribe(int events, Schedulable waiter) {
        if ((events & IoEvent.RECV) != 0 && parkedReceiver == waiter) {
            parkedReceiver = null;
        }
        if ((events & IoEvent.SEND) != 0 && sender == waiter) {
            sender = null;
        }
        connection.unsubscribe(events, waiter);
    }

    @Override
    public boolean isSubscribed(int events, Schedulable waiter) {
        boolean recv = (events & IoEvent.RECV) == 0 || parkedReceiver == waiter
                || (!canReceive() && connection.isSubscribed(IoEvent.RECV, waiter));
        return recv && ((events & IoEvent.SEND) == 0 || connection.isSubscribed(IoEvent.SEND, waiter));
    }

    /** @return whether a receive would find something without reading the socket */
    private boolean canReceive() {
        return (head != null && !head.isEmpty()) || (in != null && inputPending);
    }

    /** @return whether the stream's message was received whole and nothing else is for it */
    private boolean receivedAll() {
        return parser.isDone() || (opener != null && parser.isWaitingHead());
    }

    @Override
    public void shutdownWrite() {
        if (hasOutput()) {
            shutdownPending = true;
        } else {
            connection.shutdownWrite();
        }
    }

    @Override
    public boolean isError() {
        return failed || connection.isError();
    }

    @Override
    public boolean isReadShut() {
        return connection.isReadShut() && in == null;
    }

    // ---------------------------------------------------------------- buffers

    /** Reads what the socket holds into the input buffer. @return the bytes read, 0, or -1 */
    private int read() {
        if (in == null) {
            in = connection.acquireBuffer();
            in.flip();
        }
        in.compact();
        int n = connection.read(in);
        in.flip();
        if (!in.hasRemaining()) {
            releaseInputIfEmpty();
        }
        return n;
    }

    /** Writes pending output. @return false after a write error */
    private boolean flush() {
        if (out != null && out.position() > 0) {
            out.flip();
            int n;
            if (outNext == null) {
                n = connection.write(out);
            } else {
                outNext.flip();
                n = connection.write(out, outNext);
                outNext.compact();
            }
            out.compact();
            if (n < 0) {
                return false;
            }
        }
        releaseOutputIfEmpty();
        if (out == null && errorPage != null) {
            if (connection.write(errorPage) < 0) {
                return false;
            }
            if (!errorPage.hasRemaining()) {
                errorPage = null;
            }
        }
        if (shutdownPending && !hasOutput()) {
            shutdownPending = false;
            connection.shutdownWrite();
        }
        return true;
    }

    private boolean hasOutput() {
        return out != null || errorPage != null;
    }

    private void releaseInputIfEmpty() {
        if (in != null && !in.hasRemaining()) {
            dropInput();
        }
    }

    private void dropInput() {
        if (in != null) {
            connection.releaseBuffer(in);
            in = null;
        }
    }

    private void releaseOutputIfEmpty() {
        if (outNext != null && outNext.position() == 0) {
            connection.releaseBuffer(outNext);
            outNext = null;
        }
        if (out != null && out.position() == 0) {
            connection.releaseBuffer(out);
            // What followed is now the head of the output.
            out = outNext;
            outNext = null;
        }
    }

    private void releaseHeadBuffer() {
        if (head.hasBuffer() && head.isEmpty()) {
            connection.releaseBuffer(head.detach());
        }
    }
}
