package org.muxgate.mux.h2;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;
import org.muxgate.api.http.HttpSettings;
import org.muxgate.api.http.HttpStreamOpener;
import org.muxgate.api.scheduler.Schedulable;
import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.api.scheduler.Task;
import org.muxgate.api.scheduler.TaskProcess;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.StreamEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 mux of one connection (HAProxy's h2c). On a client connection it reads
 * the preface and the frames, demultiplexes each request into its {@link H2Stream},
 * opened for the proxy once its headers are decoded, and multiplexes the responses
 * back as frames. On a server connection it sends the preface, the proxy's streams
 * {@link #attach} (as many at once as the server's SETTINGS_MAX_CONCURRENT_STREAMS
 * and our table allow), each request goes out as frames and each response is
 * demultiplexed back into its stream.
 *
 * <p>A shared server connection is in its thread's available list while it carries
 * streams and can take another ({@link Connection#setAvailable}), and is offered to
 * the idle lists when its last stream detaches. It never moves to another thread
 * ({@link #takeover()} refuses): its task is bound to the connection's thread, so
 * its I/O callback never needs the idle-connections lock either. A server's GOAWAY
 * refuses the streams above its last one and lets the others finish; then the
 * connection closes.
 *
 * <p>Demultiplexing is incremental: a frame's header is read once its 9 bytes are
 * in, DATA and header-block payloads are taken as they come (a frame need not fit
 * the input buffer), the other frames once whole (they are small). It stops while
 * the stream a DATA frame goes to has no room for it (HAProxy's demux blocked on a
 * full stream buffer; the stream's window bounds how long), and while the output
 * lacks {@link #CONTROL_ROOM} for the answer a frame may need (a PING's, a
 * SETTINGS ACK): a client that floods and does not read stops being read.
 *
 * <p>Defences, besides RFC 9113's errors: a stream the client resets stays counted
 * against {@link #MAX_CONCURRENT_STREAMS} until the proxy has let it go, and a new
 * stream beyond the limit while some are in that state is ENHANCE_YOUR_CALM
 * (rapid reset); a header block must fit a buffer and take at most
 * {@link #MAX_CONTINUATIONS} frames (CONTINUATION flood); the decoded headers are
 * bounded by the HPACK decoder (HPACK bomb); frames that carry no request progress
 * (SETTINGS, PING, PRIORITY, RST_STREAM, empty DATA) are counted, and more than
 * {@link #GLITCHES_PER_SECOND} in a second is ENHANCE_YOUR_CALM (floods).
 *
 * <p>Buffers: the input and output come from the connection's pool and go back
 * when empty; a stream's request buffer likewise. Threads: the connection's; the
 * mux's task is bound to it.
 */
final class H2Connection implements Mux, TaskProcess {

    private static final Logger LOG = LoggerFactory.getLogger(H2Connection.class);

    /** HAProxy's default {@code tune.h2.max-concurrent-streams}. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** The frames of one header block at most. */
    static final int MAX_CONTINUATIONS = 32;
    /** Unproductive frames tolerated per second. */
    static final int GLITCHES_PER_SECOND = 1000;
    /** Output kept free for control frames: the largest (GOAWAY) and a few answers. */
    static final int CONTROL_ROOM = 64;
    /** The largest frame we accept, which is what we advertise (the default). */
    private static final int MAX_FRAME_SIZE = H2.MIN_MAX_FRAME_SIZE;
    /** Window increments below this wait, so that updates do not come for every frame. */
    private static final int WINDOW_UPDATE_THRESHOLD = 16_384;

    private static final int PREFACE = 0;
    private static final int FRAME_HEADER = 1;
    private static final int PAYLOAD = 2;
    private static final int CLOSING = 3;

    private final Connection connection;
    private final Scheduler scheduler;
    /** A client connection's; null on a server connection. */
    private final HttpStreamOpener opener;
    /** A client connection's; null on a server connection. */
    private final HttpSettings settings;
    /** A server connection: we open the streams. */
    private final boolean backend;
    private final Task task;
    private final HpackDecoder decoder;
    private final HpackEncoder encoder;
    private final HeaderBlockReader reader;
    private final StreamTable streams = new StreamTable(MAX_CONCURRENT_STREAMS);
    private final AsciiSequence view = new AsciiSequence();
    private final AsciiSequence valueView = new AsciiSequence();
    private final Decimal digits = new Decimal();

    /** Unread input between position and limit; null when there is none. */
    private ByteBuffer in;
    /** Output not yet written, before its position; null when there is none. */
    private ByteBuffer out;
    /** The header block being received (write mode), across HEADERS and CONTINUATION. */
    private ByteBuffer headerBlock;

    private int phase = PREFACE;
    private int prefaceMatched;
    // The frame being read.
    private int length;
    private int type;
    private int flags;
    private int streamId;
    /** Payload bytes of the frame not consumed yet. */
    private int remaining;
    /** Padding at the end of the frame, once its length byte was read ({@link #padRead}). */
    private int padding;
    private boolean padRead;
    private boolean priorityRead;
    /** The stream a DATA frame goes to, null to discard it. */
    private H2Stream dataStream;
    /** The stream whose header block continues, 0 if none; its END_STREAM flag and frame count. */
    private int continuedStream;
    private boolean blockEndsStream;
    private boolean blockSelfDependent;
    private int blockFrames;
    /** Demultiplexing waits: for room in a stream or in the output. */
    private boolean blocked;

    private boolean settingsReceived;
    /** The peer's settings. */
    private int peerInitialWindow = H2.DEFAULT_WINDOW;
    private int peerMaxFrameSize = H2.MIN_MAX_FRAME_SIZE;
    /** What we may send, and what the peer may still send us, on the connection. */
    private long sendWindow = H2.DEFAULT_WINDOW;
    private int receiveWindow = H2.DEFAULT_WINDOW;
    /**
     * The window we give each stream the peer opens, and the connection: a client
     * connection's {@code tune.h2.initial-window-size}, never below the default.
     */
    private final int localInitialWindow;
    private int receivedUnacknowledged;
    /** The highest stream id opened: by the client on a client connection, by us on a server connection. */
    private int lastStreamId;
    /** Server connection: the id of the next stream we open. */
    private int nextStreamId = 1;
    /**
     * Server connection: the streams attached that have no id yet (their HEADERS did
     * not go out), outside {@link #streams} until then; at most
     * {@link #MAX_CONCURRENT_STREAMS} with those in the table.
     */
    private final List<H2Stream> unopened;
    /** Server connection: the streams the server lets us open at once, at most {@link #MAX_CONCURRENT_STREAMS}. */
    private int peerMaxStreams = MAX_CONCURRENT_STREAMS;
    private boolean goawaySent;
    /** The connection failed or is closing after an error: its streams see errors. */
    private boolean failed;
    private boolean destroyed;
    /** Streams reset by the client that the proxy still holds. */
    private int resetHeld;
    private int glitches;
    private long glitchSecond;

    private H2Connection(Connection connection, Scheduler scheduler, HttpStreamOpener opener) {
        this.connection = connection;
        this.scheduler = scheduler;
        this.opener = opener;
        this.backend = opener == null;
        this.settings = backend ? null : opener.httpSettings();
        this.task = scheduler.newTask(1L << connection.thread(), this, this);
        ByteBuffer probe = connection.acquireBuffer();
        int bufferSize = probe.capacity();
        connection.releaseBuffer(probe);
        // A response's fields are bounded by the message of the stream that asked
        // (tune.http.maxhdr of its frontend) and, as every block, by the buffer.
        this.decoder = new HpackDecoder(H2.HEADER_TABLE_SIZE, bufferSize,
                backend ? bufferSize : settings.maxHeaders());
        this.encoder = new HpackEncoder(H2.HEADER_TABLE_SIZE);
        this.reader = new HeaderBlockReader(bufferSize);
        this.unopened = backend ? new ArrayList<>() : List.of();
        this.localInitialWindow = backend ? H2.DEFAULT_WINDOW : Math.max(H2.DEFAULT_WINDOW,
                settings.h2InitialWindowSize());
    }

    /**
     * Installs the mux on a client connection: our SETTINGS go out at once (with a
     * WINDOW_UPDATE that opens the connection as wide as a stream, when {@code
     * tune.h2.initial-window-size} is above the default), then the client's preface
     * is awaited.
     */
    static H2Connection frontend(Connection connection, Scheduler scheduler, HttpStreamOpener opener) {
        H2Connection mux = new H2Connection(connection, scheduler, opener);
        mux.writeSettings();
        if (mux.localInitialWindow > H2.DEFAULT_WINDOW) {
            mux.writeWindowUpdate(0, mux.localInitialWindow - H2.DEFAULT_WINDOW);
            mux.receiveWindow = mux.localInitialWindow;
        }
        mux.task.wakeup(TaskState.WOKEN_INIT);
        return mux;
    }

    /**
     * Installs the mux on an established server connection: the preface and our
     * SETTINGS go out at once; streams attach right away (the server's SETTINGS may
     * lower the concurrency later: RFC 9113 allows the client to start before them).
     */
    static H2Connection backend(Connection connection, Scheduler scheduler) {
        H2Connection mux = new H2Connection(connection, scheduler, null);
        mux.phase = FRAME_HEADER;
        mux.hasOutputRoom(H2.PREFACE.length);
        mux.out.put(H2.PREFACE);
        mux.writeSettings();
        mux.task.wakeup(TaskState.WOKEN_INIT);
        return mux;
    }

    Connection connection() {
        return connection;
    }

    boolean failed() {
        return failed;
    }

    // ---------------------------------------------------------------- the mux's task

    @Override
    public Schedulable process(Schedulable self, Object context, int state) {
        if (destroyed) {
            return null;
        }
        if (connection.isClosed()) {
            destroy();
            return null;
        }
        long now = scheduler.now();
        if (phase != CLOSING) {
            readAndDemultiplex();
        }
        if (!flush()) {
            destroy();
            return null;
        }
        wakeSenders();
        if (goawaySent && phase != CLOSING && openStreams() == 0) {
            // Stopping gracefully, and the last stream is done.
            phase = CLOSING;
        }
        if (phase == CLOSING && !hasOutput()) {
            connection.drain();
            destroy();
            return null;
        }
        if (!backend && phase != CLOSING && streams.size() == 0 && task.expire() != Task.ETERNITY
                && now >= task.expire()) {
            // Idle for its keep-alive timeout: a graceful GOAWAY, then the close.
            goAway(H2.NO_ERROR);
            return process(self, context, 0);
        }
        if (hasOutput()) {
            connection.subscribe(IoEvent.SEND, task);
        }
        if (phase != CLOSING && !blocked) {
            connection.subscribe(IoEvent.RECV, task);
        }
        if (!backend) {
            armIdleTimer(now);
        }
        return task;
    }

    /** @return the streams attached or still in the table, with those that have no id yet */
    private int openStreams() {
        return streams.size() + unopened.size();
    }

    /** With no stream, the connection may stay idle for {@code timeout http-keep-alive}, else {@code timeout client}. */
    private void armIdleTimer(long now) {
        if (streams.size() > 0) {
            task.setExpire(Task.ETERNITY);
            return;
        }
        if (task.expire() == Task.ETERNITY) {
            long timeout = settings.keepAliveTimeout() > 0 ? settings.keepAliveTimeout() : settings.clientTimeout();
            task.setExpire(timeout > 0 ? now + timeout : Task.ETERNITY);
        }
    }

    /**
     * Demultiplexes what the input holds, then reads and demultiplexes more while the
     * socket has some. A run that still waits for its RECV event (woken to flush, or
     * by a stream that freed room) reads nothing: the read would only find nothing.
     */
    private void readAndDemultiplex() {
        blocked = false;
        while (phase != CLOSING) {
            if (in != null && hasInputToDemultiplex()) {
                demultiplex();
                if (blocked || phase == CLOSING) {
                    break;
                }
            }
            if (connection.isSubscribed(IoEvent.RECV, task)) {
                break;
            }
            if (in == null) {
                in = connection.acquireBuffer();
                in.flip();
            }
            in.compact();
            int n = connection.read(in);
            in.flip();
            if (n == 0) {
                break;
            }
            if (n < 0) {
                // The client left (or the socket failed): nothing can be answered any more.
                fail();
                phase = CLOSING;
                break;
            }
        }
        if (in != null && !hasInputToDemultiplex()) {
            connection.releaseBuffer(in);
            in = null;
        }
    }

    // ---------------------------------------------------------------- demultiplexing

    /**
     * @return whether the input holds bytes, or the frame whose header was read has an
     *         empty payload, which ends without more bytes (an empty SETTINGS or DATA
     *         frame may be the last of the input)
     */
    private boolean hasInputToDemultiplex() {
        return in.hasRemaining() || (phase == PAYLOAD && remaining == 0);
    }

    private void demultiplex() {
        while (phase != CLOSING && !blocked && hasInputToDemultiplex()) {
            if (phase == PREFACE) {
                if (!readPreface()) {
                    return;
                }
            } else if (phase == FRAME_HEADER) {
                if (in.remaining() < H2.FRAME_HEADER) {
                    return;
                }
                if (!hasOutputRoom(CONTROL_ROOM)) {
                    blocked = true;
                    return;
                }
                readFrameHeader();
            } else if (!readPayload()) {
                return;
            }
        }
    }

    private boolean readPreface() {
        while (in.hasRemaining() && prefaceMatched < H2.PREFACE.length) {
            if (in.get() != H2.PREFACE[prefaceMatched++]) {
                LOG.debug("h2: invalid connection preface from {}", connection.peer());
                connectionError(H2.PROTOCOL_ERROR, "invalid preface");
                return false;
            }
        }
        if (prefaceMatched < H2.PREFACE.length) {
            return false;
        }
        phase = FRAME_HEADER;
        return true;
    }

    private void readFrameHeader() {
        length = (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | (in.get() & 0xff);
        type = in.get() & 0xff;
        flags = in.get() & 0xff;
        streamId = in.getInt() & 0x7fff_ffff;
        remaining = length;
        padding = 0;
        padRead = false;
        priorityRead = false;
        phase = PAYLOAD;
        if (length > MAX_FRAME_SIZE) {
            connectionError(H2.FRAME_SIZE_ERROR, "frame of " + length + " bytes");
        } else if (continuedStream != 0 && (type != H2.CONTINUATION || streamId != continuedStream)) {
            connectionError(H2.PROTOCOL_ERROR, "frame in the middle of a header block");
        } else if (!settingsReceived && type != H2.SETTINGS) {
            connectionError(H2.PROTOCOL_ERROR, "the preface is not followed by SETTINGS");
        } else {
            startFrame();
        }
    }

    /** Checks what the frame header alone tells. */
    private void startFrame() {
        switch (type) {
            case H2.DATA -> startData();
            case H2.HEADERS -> startHeaders();
            case H2.CONTINUATION -> {
                if (continuedStream == 0) {
                    connectionError(H2.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
                } else if (++blockFrames > MAX_CONTINUATIONS) {
                    connectionError(H2.PROTOCOL_ERROR, "too many CONTINUATION frames");
                }
            }
            case H2.SETTINGS -> {
                if (streamId != 0) {
                    connectionError(H2.PROTOCOL_ERROR, "SETTINGS on a stream");
                } else if ((flags & H2.FLAG_ACK) != 0 ? length != 0 : length % 6 != 0) {
                    connectionError(H2.FRAME_SIZE_ERROR, "SETTINGS of " + length + " bytes");
                }
            }
            case H2.PING -> {
                if (streamId != 0) {
                    connectionError(H2.PROTOCOL_ERROR, "PING on a stream");
                } else if (length != 8) {
                    connectionError(H2.FRAME_SIZE_ERROR, "PING of " + length + " bytes");
                }
            }
            case H2.GOAWAY -> {
                if (streamId != 0) {
                    connectionError(H2.PROTOCOL_ERROR, "GOAWAY on a stream");
                } else if (length < 8) {
                    connectionError(H2.FRAME_SIZE_ERROR, "GOAWAY of " + length + " bytes");
                }
            }
            case H2.WINDOW_UPDATE -> {
                if (length != 4) {
                    connectionError(H2.FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + length + " bytes");
                } else if (streamId > lastStreamId) {
                    connectionError(H2.PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream");
                }
            }
            case H2.RST_STREAM -> {
                if (streamId == 0 || streamId > lastStreamId) {
                    connectionError(H2.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
                } else if (length != 4) {
                    connectionError(H2.FRAME_SIZE_ERROR, "RST_STREAM of " + length + " bytes");
                }
            }
            case H2.PRIORITY -> {
                if (streamId == 0) {
                    connectionError(H2.PROTOCOL_ERROR, "PRIORITY on stream 0");
                }
            }
            // We never enable push (a server connection says so in its SETTINGS).
            case H2.PUSH_PROMISE -> connectionError(H2.PROTOCOL_ERROR, "PUSH_PROMISE");
            default -> {
                // Unknown types are ignored (RFC 9113 4.1).
            }
        }
    }

    /** Reads what has come of the payload. @return whether the frame is done (the next one may start) */
    private boolean readPayload() {
        switch (type) {
            case H2.DATA -> {
                return readData();
            }
            case H2.HEADERS, H2.CONTINUATION -> {
                return readHeaderBlock();
            }
            case H2.GOAWAY -> {
                if (remaining == length) {
                    if (in.remaining() < 8) {
                        return false;
                    }
                    int last = in.getInt() & 0x7fff_ffff;
                    int code = in.getInt();
                    remaining -= 8;
                    LOG.debug("h2: GOAWAY from {} (last stream {}, {})", connection.peer(), last, H2.errorName(code));
                    // No new stream will come; the ones open are answered, then the connection closes.
                    goawaySent = goawaySent || writeGoAway(H2.NO_ERROR);
                    if (backend) {
                        refuseStreamsAbove(last);
                    }
                }
                return skip();
            }
            case H2.SETTINGS, H2.PING, H2.WINDOW_UPDATE, H2.RST_STREAM, H2.PRIORITY -> {
                if (in.remaining() < remaining) {
                    return false;
                }
                int end = in.position() + remaining;
                controlFrame();
                if (phase != CLOSING) {
                    in.position(end);
                    endFrame();
                }
                return true;
            }
            default -> {
                return skip();
            }
        }
    }

    /** Skips what came of the frame's payload. */
    private boolean skip() {
        int n = Math.min(remaining, in.remaining());
        in.position(in.position() + n);
        remaining -= n;
        if (remaining > 0) {
            return false;
        }
        endFrame();
        return true;
    }

    private void endFrame() {
        phase = FRAME_HEADER;
    }

    /** A SETTINGS, PING, WINDOW_UPDATE, RST_STREAM or PRIORITY frame, whole in the input. */
    private void controlFrame() {
        int at = in.position();
        switch (type) {
            case H2.SETTINGS -> settingsFrame(at);
            case H2.PING -> {
                if ((flags & H2.FLAG_ACK) == 0) {
                    glitch();
                    writeFrameHeader(8, H2.PING, H2.FLAG_ACK, 0);
                    out.put(out.position(), in, at, 8);
                    out.position(out.position() + 8);
                }
            }
            case H2.WINDOW_UPDATE -> windowUpdate(in.getInt(at) & 0x7fff_ffff);
            case H2.RST_STREAM -> {
                glitch();
                H2Stream stream = streams.get(streamId);
                if (stream != null && !stream.isReset()) {
                    stream.resetCode = in.getInt(at);
                    if (stream.attached) {
                        resetHeld++;
                    }
                    stream.wakeReceiver();
                    stream.wakeSender();
                    if (!stream.attached) {
                        forget(stream);
                    }
                }
            }
            default -> {
                // PRIORITY: accepted and ignored (RFC 9113 5.3.2), but checked.
                glitch();
                if (length != 5) {
                    resetStream(streamId, H2.FRAME_SIZE_ERROR);
                } else if ((in.getInt(at) & 0x7fff_ffff) == streamId) {
                    resetStream(streamId, H2.PROTOCOL_ERROR);
                }
            }
        }
    }

    private void settingsFrame(int at) {
        if ((flags & H2.FLAG_ACK) != 0) {
            return;
        }
        if (settingsReceived) {
            glitch();
        }
        settingsReceived = true;
        for (int p = at; p < at + length; p += 6) {
            int id = in.getShort(p) & 0xffff;
            int value = in.getInt(p + 2);
            switch (id) {
                case H2.SETTINGS_HEADER_TABLE_SIZE -> encoder.setMaxTableSize(
                        (int) Math.min(Integer.toUnsignedLong(value), H2.HEADER_TABLE_SIZE));
                case H2.SETTINGS_ENABLE_PUSH -> {
                    // RFC 9113 6.5.2: a server must not set it to 1.
                    if (value != 0 && (value != 1 || backend)) {
                        connectionError(H2.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
                        return;
                    }
                }
                case H2.SETTINGS_INITIAL_WINDOW_SIZE -> {
                    if (value < 0) {
                        connectionError(H2.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                        return;
                    }
                    if (!changeInitialWindow(value)) {
                        return;
                    }
                }
                case H2.SETTINGS_MAX_FRAME_SIZE -> {
                    if (value < H2.MIN_MAX_FRAME_SIZE || value > H2.MAX_MAX_FRAME_SIZE) {
                        connectionError(H2.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
                        return;
                    }
                    peerMaxFrameSize = value;
                }
                case H2.SETTINGS_MAX_CONCURRENT_STREAMS -> {
                    // The streams we may open: on a client connection we open none.
                    peerMaxStreams = (int) Math.min(Integer.toUnsignedLong(value), MAX_CONCURRENT_STREAMS);
                }
                default -> {
                    // Unknown or advisory (MAX_HEADER_LIST_SIZE).
                }
            }
        }
        writeFrameHeader(0, H2.SETTINGS, H2.FLAG_ACK, 0);
        updateAvailability();
    }

    /** RFC 9113 6.9.2: a new initial window shifts the window of every open stream. */
    private boolean changeInitialWindow(int value) {
        long delta = (long) value - peerInitialWindow;
        peerInitialWindow = value;
        for (int i = 0; i < streams.capacity(); i++) {
            H2Stream stream = streams.at(i);
            if (stream != null) {
                stream.sendWindow += delta;
                if (stream.sendWindow > H2.MAX_WINDOW) {
                    connectionError(H2.FLOW_CONTROL_ERROR, "a stream's window above 2^31-1");
                    return false;
                }
            }
        }
        return true;
    }

    private void windowUpdate(int increment) {
        if (streamId == 0) {
            if (increment == 0) {
                connectionError(H2.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
            } else if ((sendWindow += increment) > H2.MAX_WINDOW) {
                connectionError(H2.FLOW_CONTROL_ERROR, "the connection's window above 2^31-1");
            }
            return;
        }
        H2Stream stream = streams.get(streamId);
        if (stream == null || stream.isReset()) {
            // A closed stream: the update may have crossed our end of it.
            return;
        }
        if (increment == 0) {
            resetStream(stream, H2.PROTOCOL_ERROR);
        } else if ((stream.sendWindow += increment) > H2.MAX_WINDOW) {
            resetStream(stream, H2.FLOW_CONTROL_ERROR);
        }
    }

    // DATA

    private void startData() {
        if (streamId == 0) {
            connectionError(H2.PROTOCOL_ERROR, "DATA on stream 0");
            return;
        }
        if (streamId > lastStreamId) {
            connectionError(H2.PROTOCOL_ERROR, "DATA on an idle stream");
            return;
        }
        if (length > receiveWindow) {
            connectionError(H2.FLOW_CONTROL_ERROR, "DATA beyond the connection's window");
            return;
        }
        receiveWindow -= length;
        if (length == 0 && (flags & H2.FLAG_END_STREAM) == 0) {
            glitch();
        }
        H2Stream stream = streams.get(streamId);
        dataStream = null;
        if (stream == null || stream.isReset()) {
            // Closed, or reset by us: what was in flight is dropped (RFC 9113 5.1), its window given back.
            if (stream == null) {
                resetStream(streamId, H2.STREAM_CLOSED);
            }
            acknowledgeReceived(length);
        } else if (stream.remoteEnded) {
            resetStream(stream, H2.STREAM_CLOSED);
            acknowledgeReceived(length);
        } else if (backend && !stream.finalResponseReceived) {
            // RFC 9113 8.1: a response's DATA comes after its final head.
            resetStream(stream, H2.PROTOCOL_ERROR);
            acknowledgeReceived(length);
        } else if (length > stream.receiveWindow) {
            resetStream(stream, H2.FLOW_CONTROL_ERROR);
            acknowledgeReceived(length);
        } else {
            stream.receiveWindow -= length;
            dataStream = stream;
        }
    }

    private boolean readData() {
        if ((flags & H2.FLAG_PADDED) != 0 && !readPadLength()) {
            return false;
        }
        H2Stream stream = dataStream;
        while (remaining > padding && in.hasRemaining()) {
            int n = Math.min(remaining - padding, in.remaining());
            if (stream != null && !stream.isReset()) {
                if (!stream.rx.hasBuffer()) {
                    stream.rx.attach(connection.acquireBuffer());
                }
                n = stream.rx.addData(in, in.position(), n);
                if (n == 0) {
                    // HAProxy's demux blocked on a full stream buffer: until the proxy takes some.
                    blocked = true;
                    return false;
                }
                stream.receivedLength += n;
                stream.dataInRx += n;
                stream.wakeReceiver();
            } else {
                stream = null;
            }
            in.position(in.position() + n);
            remaining -= n;
            acknowledgeReceived(n);
        }
        if (remaining > padding) {
            return false;
        }
        int skipped = Math.min(remaining, in.remaining());
        in.position(in.position() + skipped);
        remaining -= skipped;
        if (stream != null) {
            // Padding is flow-controlled but never delivered: the stream gets it back at once.
            stream.consumedUnacknowledged += skipped;
        }
        acknowledgeReceived(skipped);
        if (remaining > 0) {
            return false;
        }
        endFrame();
        if (stream != null) {
            if (stream.expectedLength >= 0 && stream.receivedLength > stream.expectedLength) {
                resetStream(stream, H2.PROTOCOL_ERROR);
            } else if ((flags & H2.FLAG_END_STREAM) != 0) {
                endRemote(stream);
            }
        }
        return true;
    }

    private boolean readPadLength() {
        if (padRead) {
            return true;
        }
        if (!in.hasRemaining()) {
            return false;
        }
        padding = in.get() & 0xff;
        remaining--;
        padRead = true;
        acknowledgeReceived(1);
        if (padding > remaining) {
            connectionError(H2.PROTOCOL_ERROR, "padding longer than the frame");
            return false;
        }
        return true;
    }

    /** The request's END_STREAM: its length checked against content-length (RFC 9113 8.1.1). */
    private void endRemote(H2Stream stream) {
        if (stream.expectedLength >= 0 && stream.receivedLength != stream.expectedLength) {
            resetStream(stream, H2.PROTOCOL_ERROR);
            return;
        }
        stream.remoteEnded = true;
        stream.rx.end();
        stream.wakeReceiver();
    }

    /** Gives the peer back connection window for bytes demultiplexed (streams are bounded by their own windows). */
    private void acknowledgeReceived(int n) {
        receivedUnacknowledged += n;
        if (receivedUnacknowledged >= WINDOW_UPDATE_THRESHOLD) {
            writeWindowUpdate(0, receivedUnacknowledged);
            receiveWindow += receivedUnacknowledged;
            receivedUnacknowledged = 0;
        }
    }

    // HEADERS and CONTINUATION

    private void startHeaders() {
        // Streams are odd (a client's), and a server answers only on those we opened.
        if (streamId == 0 || (streamId & 1) == 0 || (backend && streamId > lastStreamId)) {
            connectionError(H2.PROTOCOL_ERROR, "HEADERS on stream " + streamId);
            return;
        }
        if (headerBlock == null) {
            headerBlock = connection.acquireBuffer();
        }
        headerBlock.clear();
        continuedStream = streamId;
        blockEndsStream = (flags & H2.FLAG_END_STREAM) != 0;
        blockSelfDependent = false;
        blockFrames = 1;
    }

    private boolean readHeaderBlock() {
        if (type == H2.HEADERS) {
            if ((flags & H2.FLAG_PADDED) != 0 && !readPadLength()) {
                return false;
            }
            if ((flags & H2.FLAG_PRIORITY) != 0 && !priorityRead) {
                if (in.remaining() < 5) {
                    return false;
                }
                blockSelfDependent = (in.getInt() & 0x7fff_ffff) == streamId;
                in.get();
                remaining -= 5;
                priorityRead = true;
                if (padding > remaining) {
                    connectionError(H2.PROTOCOL_ERROR, "padding longer than the frame");
                    return false;
                }
            }
        }
        int n = Math.min(remaining - padding, in.remaining());
        if (n > headerBlock.remaining()) {
            connectionError(H2.PROTOCOL_ERROR, "a header block larger than a buffer");
            return false;
        }
        headerBlock.put(headerBlock.position(), in, in.position(), n);
        headerBlock.position(headerBlock.position() + n);
        in.position(in.position() + n);
        remaining -= n;
        if (remaining > padding) {
            return false;
        }
        int skipped = Math.min(remaining, in.remaining());
        in.position(in.position() + skipped);
        remaining -= skipped;
        if (remaining > 0) {
            return false;
        }
        endFrame();
        if (length == 0 && type == H2.CONTINUATION) {
            glitch();
        }
        if ((flags & H2.FLAG_END_HEADERS) != 0) {
            continuedStream = 0;
            headerBlock.flip();
            headerBlockComplete();
        }
        return true;
    }

    private void headerBlockComplete() {
        H2Stream stream = streams.get(streamId);
        if (stream != null && !stream.isReset()) {
            if (backend && !stream.finalResponseReceived) {
                responseHead(stream);
            } else {
                trailers(stream);
            }
        } else if (!backend && stream == null && streamId > lastStreamId) {
            lastStreamId = streamId;
            newStream();
        } else {
            // A closed stream: decoded all the same, the HPACK table must stay in step.
            if (decodeInto(null) >= 0) {
                resetStream(streamId, H2.STREAM_CLOSED);
            }
        }
    }

    private void newStream() {
        if (goawaySent) {
            decodeInto(null);
            return;
        }
        if (streams.size() >= MAX_CONCURRENT_STREAMS) {
            decodeInto(null);
            if (resetHeld > 0) {
                // Streams the client reset still hold the proxy: it is resetting faster than we serve.
                connectionError(H2.ENHANCE_YOUR_CALM, "rapid reset: new streams beyond the limit");
            } else {
                resetStream(streamId, H2.REFUSED_STREAM);
            }
            return;
        }
        H2Stream stream = new H2Stream(streamId, this, new HttpMessage(settings.maxHeaders()), localInitialWindow,
                peerInitialWindow);
        stream.rx.attach(connection.acquireBuffer());
        reader.start(stream.rx, false);
        int result = decodeInto(stream.rx);
        if (result < 0) {
            releaseRx(stream);
            return;
        }
        if (result == HeaderBlockReader.TOO_LARGE) {
            releaseRx(stream);
            writeStatusOnly(streamId, 431);
            return;
        }
        if (result == HeaderBlockReader.MALFORMED || blockSelfDependent) {
            releaseRx(stream);
            resetStream(streamId, H2.PROTOCOL_ERROR);
            return;
        }
        stream.expectedLength = reader.contentLength();
        stream.remoteEnded = blockEndsStream;
        streams.put(stream);
        stream.attached = true;
        if (!opener.openStream(stream)) {
            stream.attached = false;
            resetStream(stream, H2.REFUSED_STREAM);
        }
    }

    /**
     * A server connection: the head of a response, interim (1xx) or final. An
     * interim response the proxy has not taken yet when the next head comes is
     * dropped: the later head supersedes it.
     */
    private void responseHead(H2Stream stream) {
        if (stream.interimInRx) {
            stream.rx.reset();
            stream.interimInRx = false;
        }
        if (!stream.rx.hasBuffer()) {
            stream.rx.attach(connection.acquireBuffer());
        }
        reader.startResponse(stream.rx, stream.headRequest);
        int result = decodeInto(stream.rx);
        if (result < 0) {
            return;
        }
        if (result == HeaderBlockReader.OK && reader.status() < 200 && blockEndsStream) {
            // RFC 9113 8.1: an interim response cannot end the stream.
            result = HeaderBlockReader.MALFORMED;
        }
        if (result != HeaderBlockReader.OK) {
            stream.rx.reset();
            // The proxy answers 502; the server learns the response was refused.
            resetStream(stream, result == HeaderBlockReader.MALFORMED ? H2.PROTOCOL_ERROR : H2.CANCEL);
            return;
        }
        if (reader.status() < 200) {
            stream.interimInRx = true;
        } else {
            stream.finalResponseReceived = true;
            boolean bodyless = stream.headRequest || reader.status() == 204 || reader.status() == 304;
            stream.expectedLength = bodyless ? 0 : reader.contentLength();
            stream.remoteEnded = blockEndsStream;
        }
        stream.wakeReceiver();
    }

    /** A server connection got GOAWAY: the streams above {@code last} will not be processed. */
    private void refuseStreamsAbove(int last) {
        for (int i = 0; i < streams.capacity(); i++) {
            H2Stream stream = streams.at(i);
            if (stream != null && stream.id > last) {
                // Refused by the server: nothing to send it any more.
                endStream(stream, H2.REFUSED_STREAM, false);
            }
        }
        updateAvailability();
    }

    private void trailers(H2Stream stream) {
        if (stream.remoteEnded) {
            decodeInto(null);
            resetStream(stream, H2.STREAM_CLOSED);
            return;
        }
        if (!blockEndsStream) {
            decodeInto(null);
            resetStream(stream, H2.PROTOCOL_ERROR);
            return;
        }
        if (!stream.rx.hasBuffer()) {
            stream.rx.attach(connection.acquireBuffer());
        }
        reader.start(stream.rx, true);
        int result = decodeInto(stream.rx);
        if (result < 0) {
            return;
        }
        if (result != HeaderBlockReader.OK) {
            // Malformed trailers, or no room for them behind the body not taken yet.
            resetStream(stream, result == HeaderBlockReader.MALFORMED ? H2.PROTOCOL_ERROR : H2.INTERNAL_ERROR);
            return;
        }
        endRemote(stream);
    }

    /**
     * Decodes the header block into {@code message}, the reader started for it, or only
     * for the HPACK table when null. A decoding error is a connection error (COMPRESSION_ERROR).
     *
     * @return a {@link HeaderBlockReader} result, or -1 after a connection error
     */
    private int decodeInto(HttpMessage message) {
        HpackDecoder.HeaderSink sink = message == null ? HpackDecoder.HeaderSink.DISCARD : reader;
        try {
            decoder.decode(headerBlock, sink);
        } catch (HpackException e) {
            if (e.headerListTooLarge()) {
                return HeaderBlockReader.TOO_LARGE;
            }
            connectionError(H2.COMPRESSION_ERROR, e.getMessage());
            return -1;
        }
        return message == null ? HeaderBlockReader.OK : reader.finish(blockEndsStream);
    }

    private void releaseRx(H2Stream stream) {
        if (stream.rx != null && stream.rx.hasBuffer()) {
            stream.rx.reset();
            connection.releaseBuffer(stream.rx.detach());
        }
    }

    // ---------------------------------------------------------------- streams' calls

    /**
     * The proxy took {@code moved} bytes from a stream's request: its data goes back
     * to the client's window, and a demultiplexing blocked on the stream resumes.
     */
    void consumed(H2Stream stream, int moved) {
        int left = dataBytes(stream.rx);
        int taken = stream.dataInRx - left;
        stream.dataInRx = left;
        stream.consumedUnacknowledged += taken;
        if (stream.consumedUnacknowledged >= WINDOW_UPDATE_THRESHOLD && !stream.remoteEnded && !stream.isReset()
                && hasOutputRoom(13)) {
            writeWindowUpdate(stream.id, stream.consumedUnacknowledged);
            stream.receiveWindow += stream.consumedUnacknowledged;
            stream.consumedUnacknowledged = 0;
            flushSoon();
        }
        if (stream.rx.isEmpty()) {
            // An interim response taken whole: the next head starts a new message.
            stream.interimInRx = false;
            releaseRx(stream);
        }
        if (blocked && moved > 0) {
            blocked = false;
            task.wakeup(TaskState.WOKEN_OTHER);
        }
    }

    private static int dataBytes(HttpMessage message) {
        int bytes = 0;
        if (message == null || !message.hasBuffer()) {
            return 0;
        }
        for (int p = message.first(); p >= 0; p = message.next(p)) {
            if (message.type(p) == HttpMessage.DATA) {
                bytes += message.length(p);
            }
        }
        return bytes;
    }

    /** @return whether a stream's next send could put something on the wire now */
    boolean canSend(H2Stream stream) {
        return hasOutputRoom(CONTROL_ROOM + H2.FRAME_HEADER + 1) && (!stream.headersSent
                || (stream.sendWindow > 0 && sendWindow > 0));
    }

    /**
     * Sends what fits of a stream's response: the head as one HEADERS frame, the body
     * as DATA frames within both windows, the trailers as a last HEADERS frame.
     *
     * @return the bytes put in the output, or -1 if the head can never fit
     */
    int send(H2Stream stream, HttpMessage from) {
        int start = out == null ? 0 : out.position();
        int written = 0;
        for (int p = from.first(); p >= 0 && !stream.localEnded; p = from.first()) {
            int blockType = from.type(p);
            if (blockType == HttpMessage.STATUS_LINE || blockType == HttpMessage.REQUEST_LINE
                    || blockType == HttpMessage.TRAILER) {
                int n = writeHeaders(stream, from, p);
                if (n <= 0) {
                    return n < 0 ? -1 : written;
                }
                written += n;
            } else if (blockType == HttpMessage.DATA) {
                int n = writeData(stream, from, p);
                if (n == 0) {
                    break;
                }
                written += n;
            } else {
                // A lone marker (the end of empty trailers): nothing to send.
                from.removeFirst();
            }
        }
        if (from.isEmpty() && from.isEnded() && !stream.localEnded && stream.headersSent && hasOutputRoom(
                CONTROL_ROOM + H2.FRAME_HEADER)) {
            writeFrameHeader(0, H2.DATA, H2.FLAG_END_STREAM, stream.id);
            stream.localEnded = true;
            written += H2.FRAME_HEADER;
        }
        if (written > 0) {
            flushSoon();
        }
        return written > 0 ? written : (out == null ? 0 : out.position() - start);
    }

    /** Writes a head (status line and headers) or the trailers, whole. @return the bytes, 0 without room, -1 never */
    private int writeHeaders(H2Stream stream, HttpMessage from, int first) {
        boolean trailers = from.type(first) == HttpMessage.TRAILER;
        boolean request = from.type(first) == HttpMessage.REQUEST_LINE;
        int end = first;
        // The status and a content-length, then each field.
        int estimate = 64;
        while (end >= 0 && from.type(end) != (trailers ? HttpMessage.END_OF_TRAILERS : HttpMessage.END_OF_HEADERS)) {
            // An encoded field is never longer than its name and value with their length prefixes.
            estimate += from.length(end) + 12;
            end = from.next(end);
        }
        if (end < 0 && !from.isEnded()) {
            // The head is delivered whole: only trailers may end without their marker yet.
            return 0;
        }
        if (estimate + H2.FRAME_HEADER + CONTROL_ROOM > capacity()) {
            resetStream(stream, H2.INTERNAL_ERROR);
            return -1;
        }
        if (!hasOutputRoom(estimate + H2.FRAME_HEADER + CONTROL_ROOM)) {
            return 0;
        }
        if (request && !openStream(stream, from, first)) {
            return -1;
        }
        int status = trailers || request ? 0 : from.status(first);
        boolean interim = !trailers && !request && status < 200;
        int after = end < 0 ? -1 : from.next(end);
        boolean endStream = trailers || (!interim && from.isEnded() && after < 0);
        int headerAt = out.position();
        out.position(headerAt + H2.FRAME_HEADER);
        encoder.beginBlock(out);
        boolean authoritySent = false;
        if (request) {
            authoritySent = encodeRequestPseudoHeaders(stream, from, first);
        } else if (!trailers) {
            encoder.encodeStatus(status, out);
        }
        if (!trailers && from.has(HttpMessage.F_CONTENT_LENGTH) && status != 204 && !interim) {
            encoder.encodeHeader("content-length", digits.of(from.contentLength()), false, out);
        }
        for (int p = trailers ? first : from.next(first); p >= 0 && p != end; p = from.next(p)) {
            AsciiSequence name = from.name(p, view);
            if (!trailers && (HeaderBlockReader.isConnectionSpecific(name) || (request && (
                    (authoritySent && name.contentEquals("host", false)) || (name.contentEquals("te", false)
                            && !from.value(p, valueView).contentEquals("trailers", true)))))) {
                // HTTP/1's hop-by-hop fields; the host is the :authority; te only as trailers.
                continue;
            }
            encoder.encodeHeader(name, from.value(p, valueView), false, out);
        }
        int blockLength = out.position() - headerAt - H2.FRAME_HEADER;
        putFrameHeader(headerAt, blockLength, H2.HEADERS, H2.FLAG_END_HEADERS | (endStream ? H2.FLAG_END_STREAM : 0),
                stream.id);
        // Removes the blocks written, the marker included.
        int count = 0;
        for (int p = first; p >= 0; p = from.next(p)) {
            count++;
            if (p == end) {
                break;
            }
        }
        for (int i = 0; i < count; i++) {
            from.removeFirst();
        }
        if (!interim) {
            stream.headersSent = true;
        }
        if (endStream) {
            stream.localEnded = true;
        }
        return H2.FRAME_HEADER + blockLength;
    }

    /**
     * A server connection: gives a stream its id as its request's HEADERS are about to
     * go out, ids increasing on the wire whatever order the streams attached in.
     *
     * @return false, the stream refused, after the server's GOAWAY, once the ids ran
     *         out, or for a CONNECT (a tunnel over HTTP/2 is not supported)
     */
    private boolean openStream(H2Stream stream, HttpMessage request, int line) {
        if (request.method(line, view).contentEquals("CONNECT", false)) {
            LOG.debug("h2: CONNECT to server {} refused: no tunnel over HTTP/2", connection.peer());
            resetStream(stream, H2.INTERNAL_ERROR);
            return false;
        }
        if (goawaySent || nextStreamId < 0) {
            resetStream(stream, H2.REFUSED_STREAM);
            return false;
        }
        stream.id = nextStreamId;
        nextStreamId += 2;
        lastStreamId = stream.id;
        unopened.remove(stream);
        stream.sendWindow = peerInitialWindow;
        stream.rx = new HttpMessage(request.maxHeaders());
        streams.put(stream);
        return true;
    }

    /**
     * Encodes {@code :method}, {@code :scheme}, {@code :authority} and {@code :path}
     * from a request line (RFC 9113 8.3.1): the scheme and authority of an
     * absolute-form target, else the connection's scheme and the {@code host} field;
     * the path with its query, {@code *} for {@code OPTIONS *}.
     *
     * @return whether {@code :authority} was sent, so that {@code host} is not
     */
    private boolean encodeRequestPseudoHeaders(H2Stream stream, HttpMessage from, int line) {
        AsciiSequence method = from.method(line, view);
        stream.headRequest = method.contentEquals("HEAD", false);
        encoder.encodeHeader(":method", method, false, out);
        boolean authoritySent = false;
        if (from.authority(line, valueView).length() > 0) {
            // An absolute-form target, scheme://authority/path: the HttpMessage validated its form.
            AsciiSequence target = from.target(line, view);
            int schemeEnd = 0;
            while (target.charAt(schemeEnd) != ':') {
                schemeEnd++;
            }
            encoder.encodeHeader(":scheme", target.slice(0, schemeEnd, view), false, out);
            encoder.encodeHeader(":authority", valueView, false, out);
            authoritySent = true;
        } else {
            encoder.encodeHeader(":scheme", connection.isTls() ? "https" : "http", false, out);
            int host = from.findHeader("host", line, view);
            if (host >= 0 && from.value(host, valueView).length() > 0) {
                encoder.encodeHeader(":authority", valueView, false, out);
                authoritySent = true;
            }
        }
        AsciiSequence target = from.target(line, view);
        boolean asterisk = target.length() == 1 && target.charAt(0) == '*';
        AsciiSequence path = from.path(line, view, true);
        encoder.encodeHeader(":path", asterisk ? "*" : path.length() == 0 ? "/" : path, false, out);
        return authoritySent;
    }

    /** Writes what the windows and the output allow of a data block. @return the bytes, 0 if none */
    private int writeData(H2Stream stream, HttpMessage from, int p) {
        int blockLength = from.length(p);
        long allowed = Math.min(Math.min(stream.sendWindow, sendWindow), peerMaxFrameSize);
        int room = out == null ? capacity() : out.remaining();
        if (room < CONTROL_ROOM + H2.FRAME_HEADER + 1 && flush()) {
            room = out == null ? capacity() : out.remaining();
        }
        int n = (int) Math.min(Math.min(blockLength, allowed), room - CONTROL_ROOM - H2.FRAME_HEADER);
        if (n <= 0) {
            return 0;
        }
        boolean last = n == blockLength && from.isEnded() && from.next(p) < 0;
        writeFrameHeader(n, H2.DATA, last ? H2.FLAG_END_STREAM : 0, stream.id);
        AsciiSequence data = from.data(p, view);
        data.slice(0, n, valueView).copyTo(out);
        from.consumeData(n);
        stream.sendWindow -= n;
        sendWindow -= n;
        if (last) {
            stream.localEnded = true;
        }
        return H2.FRAME_HEADER + n;
    }

    /** The proxy's stream ends its response where it is. */
    void endResponse(H2Stream stream) {
        if (!stream.localEnded && !stream.isReset()) {
            if (stream.headersSent && hasOutputRoom(H2.FRAME_HEADER)) {
                writeFrameHeader(0, H2.DATA, H2.FLAG_END_STREAM, stream.id);
                stream.localEnded = true;
            } else {
                resetStream(stream, H2.INTERNAL_ERROR);
            }
            flushSoon();
        }
    }

    /**
     * The proxy is done with a stream. On a client connection a response it did not
     * finish is reset, and a request body the response made useless is stopped
     * (RST_STREAM NO_ERROR, RFC 9113 8.1). On a server connection an exchange not
     * complete both ways is cancelled (RST_STREAM CANCEL); once the last stream is
     * gone the connection goes to the idle lists, stays with its client's session
     * (private), or closes.
     *
     * @param keepConnection on a server connection, false closes it once no stream is left
     */
    void detach(H2Stream stream, boolean keepConnection) {
        stream.attached = false;
        stream.receiver = null;
        stream.sender = null;
        if (backend) {
            if (stream.id == 0) {
                unopened.remove(stream);
            } else if (!stream.isReset() && (!stream.localEnded || !stream.remoteEnded)) {
                resetStream(stream, H2.CANCEL);
            }
            forget(stream);
            if (openStreams() > 0) {
                updateAvailability();
            } else {
                lastStreamDetached(keepConnection);
            }
        } else {
            if (stream.isReset()) {
                if (!stream.resetByUs) {
                    resetHeld--;
                }
            } else if (!stream.localEnded) {
                resetStream(stream, H2.INTERNAL_ERROR);
            } else if (!stream.remoteEnded) {
                resetStream(stream, H2.NO_ERROR);
            }
            forget(stream);
        }
        // The task runs again only if it has something to do: output to write, a
        // demultiplexing that waited for this stream, a close once the last stream is done.
        if (hasOutput() || blocked || goawaySent || phase == CLOSING) {
            blocked = false;
            task.wakeup(TaskState.WOKEN_OTHER);
        }
    }

    /**
     * A server connection without streams: a shared one goes to the safe list (as
     * HAProxy holds every idle h2 connection: a server's GOAWAY and REFUSED_STREAM
     * tell which requests it did not process, so a reuse loses none), a private one
     * stays with its client's session; one that failed, got or sent GOAWAY, or that
     * the proxy does not keep closes (gracefully: GOAWAY NO_ERROR).
     */
    private void lastStreamDetached(boolean keepConnection) {
        connection.setAvailable(false);
        if (failed || destroyed || phase == CLOSING || goawaySent || nextStreamId < 0) {
            phase = CLOSING;
        } else if (!keepConnection) {
            goAway(H2.NO_ERROR);
        } else if (connection.isShared() && !connection.offerIdle(true)) {
            // The pool holds enough.
            goAway(H2.NO_ERROR);
        }
        // Listed or private, the task goes on reading: a server's GOAWAY, PING or close is noticed.
        task.wakeup(TaskState.WOKEN_OTHER);
    }

    /**
     * A shared server connection is available while it carries streams and can open
     * one more: the server's limit and our table allow it, and neither side said GOAWAY.
     */
    private void updateAvailability() {
        if (backend && connection.isShared() && !destroyed) {
            connection.setAvailable(openStreams() > 0 && canOpenStream());
        }
    }

    private boolean canOpenStream() {
        return !failed && !goawaySent && phase != CLOSING && nextStreamId > 0
                && openStreams() < peerMaxStreams;
    }

    /** Takes a stream out of the table, its buffer back to the pool. */
    private void forget(H2Stream stream) {
        releaseRx(stream);
        streams.remove(stream.id);
        if (dataStream == stream) {
            dataStream = null;
        }
    }

    // ---------------------------------------------------------------- errors

    /** A stream error (RFC 9113 5.4.2): RST_STREAM, and the proxy's stream sees the error. */
    private void resetStream(H2Stream stream, int code) {
        endStream(stream, code, true);
    }

    /**
     * Ends a stream on our side: the proxy's stream sees the error.
     *
     * @param tellPeer whether RST_STREAM goes out; never for a stream of a server
     *                 connection whose HEADERS did not go out (the server does not know it)
     */
    private void endStream(H2Stream stream, int code, boolean tellPeer) {
        if (stream.isReset()) {
            return;
        }
        stream.resetCode = code;
        stream.resetByUs = true;
        if (tellPeer && stream.id != 0) {
            resetStream(stream.id, code);
        }
        stream.wakeReceiver();
        stream.wakeSender();
        if (!stream.attached) {
            forget(stream);
        }
    }

    private void resetStream(int id, int code) {
        if (!hasOutputRoom(H2.FRAME_HEADER + 4)) {
            // The client reads nothing while we still owe it frames: give up on it.
            fail();
            phase = CLOSING;
            return;
        }
        writeFrameHeader(4, H2.RST_STREAM, 0, id);
        out.putInt(code);
    }

    /** A connection error (RFC 9113 5.4.1): GOAWAY with the code, then the close once it is written. */
    private void connectionError(int code, String why) {
        LOG.debug("h2: connection error {} from {}: {}", H2.errorName(code), connection.peer(), why);
        goAway(code);
        fail();
    }

    /** Sends GOAWAY naming the last stream processed, and closes once the streams and the output are done. */
    private void goAway(int code) {
        if (!goawaySent) {
            goawaySent = writeGoAway(code);
        }
        phase = CLOSING;
    }

    private boolean writeGoAway(int code) {
        if (!hasOutputRoom(H2.FRAME_HEADER + 8)) {
            return false;
        }
        writeFrameHeader(8, H2.GOAWAY, 0, 0);
        // The last stream the peer opened that we processed: a server opens none.
        out.putInt(backend ? 0 : lastStreamId);
        out.putInt(code);
        return true;
    }

    /** The connection can carry nothing more: every stream sees an error. */
    private void fail() {
        failed = true;
        for (int i = 0; i < streams.capacity(); i++) {
            H2Stream stream = streams.at(i);
            if (stream != null) {
                stream.wakeReceiver();
                stream.wakeSender();
            }
        }
        for (int i = 0; i < unopened.size(); i++) {
            unopened.get(i).wakeSender();
        }
    }

    /** Counts a frame that carries no request progress; too many in a second is a flood. */
    private void glitch() {
        long second = scheduler.now() / 1000;
        if (second != glitchSecond) {
            glitchSecond = second;
            glitches = 0;
        }
        if (++glitches > GLITCHES_PER_SECOND) {
            connectionError(H2.ENHANCE_YOUR_CALM, "more than " + GLITCHES_PER_SECOND
                    + " control frames in a second");
        }
    }

    // ---------------------------------------------------------------- output

    private void writeSettings() {
        boolean window = localInitialWindow != H2.DEFAULT_WINDOW;
        hasOutputRoom(H2.FRAME_HEADER + 18);
        writeFrameHeader(backend || window ? 18 : 12, H2.SETTINGS, 0, 0);
        out.putShort((short) H2.SETTINGS_MAX_CONCURRENT_STREAMS).putInt(MAX_CONCURRENT_STREAMS);
        out.putShort((short) H2.SETTINGS_MAX_HEADER_LIST_SIZE).putInt(capacity());
        if (window) {
            out.putShort((short) H2.SETTINGS_INITIAL_WINDOW_SIZE).putInt(localInitialWindow);
        }
        if (backend) {
            // No server push: we would have nowhere to send it.
            out.putShort((short) H2.SETTINGS_ENABLE_PUSH).putInt(0);
        }
    }

    private void writeWindowUpdate(int id, int increment) {
        if (hasOutputRoom(H2.FRAME_HEADER + 4)) {
            writeFrameHeader(4, H2.WINDOW_UPDATE, 0, id);
            out.putInt(increment);
        }
    }

    /** A response of a status alone, for a request refused before any stream opened (431). */
    private void writeStatusOnly(int id, int status) {
        if (!hasOutputRoom(H2.FRAME_HEADER + 8)) {
            return;
        }
        int at = out.position();
        out.position(at + H2.FRAME_HEADER);
        encoder.beginBlock(out);
        encoder.encodeStatus(status, out);
        putFrameHeader(at, out.position() - at - H2.FRAME_HEADER, H2.HEADERS,
                H2.FLAG_END_HEADERS | H2.FLAG_END_STREAM, id);
    }

    /**
     * Starts a frame at the output's position. The caller made sure of the room: the
     * demultiplexing keeps {@link #CONTROL_ROOM} free before each frame it reads, and
     * the output may have been written out (and given back) since.
     */
    private void writeFrameHeader(int frameLength, int frameType, int frameFlags, int id) {
        if (out == null) {
            out = connection.acquireBuffer();
        }
        putFrameHeader(out.position(), frameLength, frameType, frameFlags, id);
        out.position(out.position() + H2.FRAME_HEADER);
    }

    private void putFrameHeader(int at, int frameLength, int frameType, int frameFlags, int id) {
        out.put(at, (byte) (frameLength >>> 16)).put(at + 1, (byte) (frameLength >>> 8)).put(at + 2, (byte) frameLength)
                .put(at + 3, (byte) frameType).put(at + 4, (byte) frameFlags).putInt(at + 5, id);
    }

    /** Makes sure the output exists and has {@code needed} bytes free, flushing if that helps. */
    private boolean hasOutputRoom(int needed) {
        if (out == null) {
            out = connection.acquireBuffer();
        }
        if (out.remaining() < needed) {
            flush();
            if (out == null) {
                out = connection.acquireBuffer();
            }
        }
        return out.remaining() >= needed;
    }

    private int capacity() {
        return out != null ? out.capacity() : in != null ? in.capacity() : headerBlock != null
                ? headerBlock.capacity() : H2.MIN_MAX_FRAME_SIZE;
    }

    private boolean hasOutput() {
        return out != null && out.position() > 0;
    }

    /** Writes what the socket takes. @return false after a write error */
    private boolean flush() {
        if (out == null || destroyed) {
            return true;
        }
        if (out.position() > 0) {
            out.flip();
            int n = connection.write(out);
            out.compact();
            if (n < 0) {
                fail();
                return false;
            }
        }
        if (out.position() == 0) {
            connection.releaseBuffer(out);
            out = null;
        }
        return true;
    }

    /**
     * Output added by a stream's call: written by the mux's task, which runs after the
     * streams woken on this thread, so that the frames of many streams leave in one
     * write; at once when the output is nearly full.
     */
    private void flushSoon() {
        if (out != null && out.remaining() < out.capacity() / 4 && !flush()) {
            phase = CLOSING;
        }
        task.wakeup(TaskState.WOKEN_OTHER);
    }

    /** After output drained or windows opened: the streams waiting to send go on. */
    private void wakeSenders() {
        for (int i = 0; i < streams.capacity(); i++) {
            H2Stream stream = streams.at(i);
            if (stream != null && stream.sender != null && (failed || stream.isReset() || canSend(stream))) {
                stream.wakeSender();
            }
        }
        // Streams of a server connection whose request head waited for room in the output.
        for (int i = 0; i < unopened.size(); i++) {
            H2Stream stream = unopened.get(i);
            if (stream.sender != null && (failed || canSend(stream))) {
                stream.wakeSender();
            }
        }
    }

    // ---------------------------------------------------------------- Mux

    /**
     * {@inheritDoc}
     *
     * <p>On a server connection: a stream without id yet, which it gets when its
     * request's HEADERS go out. Null on a client connection (it opens its streams
     * itself), and when the server's limit is reached, after GOAWAY or a failure.
     */
    @Override
    public StreamEndpoint attach() {
        if (!backend || destroyed || connection.isClosed() || !canOpenStream()) {
            return null;
        }
        H2Stream stream = new H2Stream(0, this, null, H2.DEFAULT_WINDOW, peerInitialWindow);
        stream.attached = true;
        unopened.add(stream);
        updateAvailability();
        return stream;
    }

    @Override
    public void connectionClosed() {
        fail();
        destroy();
    }

    @Override
    public int streams() {
        return streams.size();
    }

    /**
     * {@inheritDoc}
     *
     * <p>GOAWAY NO_ERROR with the last stream taken goes out now (a close right after
     * it loses nothing); later streams are ignored, as after any GOAWAY, and the task
     * closes the connection once the streams under way are done.
     */
    @Override
    public void stopGracefully() {
        if (destroyed || goawaySent) {
            return;
        }
        goawaySent = writeGoAway(H2.NO_ERROR);
        if (!flush()) {
            destroy();
            return;
        }
        task.wakeup(TaskState.WOKEN_MSG);
    }

    /** Closes the connection, gives the buffers back and tells the proxy; the streams still attached see errors. */
    private void destroy() {
        if (destroyed) {
            return;
        }
        fail();
        destroyed = true;
        for (int i = 0; i < streams.capacity(); i++) {
            H2Stream stream = streams.at(i);
            if (stream != null) {
                releaseRx(stream);
            }
        }
        for (ByteBuffer buffer : new ByteBuffer[] { in, out, headerBlock }) {
            if (buffer != null) {
                connection.releaseBuffer(buffer);
            }
        }
        in = null;
        out = null;
        headerBlock = null;
        connection.setAvailable(false);
        connection.close();
        if (opener != null) {
            opener.connectionEnded(connection);
        }
        task.kill();
    }

    /** A number as characters, reused: the content-length the message carries apart from its fields. */
    private static final class Decimal implements CharSequence {
        private final char[] digits = new char[20];
        private int start;

        Decimal of(long value) {
            start = digits.length;
            do {
                digits[--start] = (char) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            return this;
        }

        @Override
        public int length() {
            return digits.length - start;
        }

        @Override
        public char charAt(int index) {
            return digits[start + index];
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new String(digits, start + from, to - from);
        }

        @Override
        public String toString() {
            return new String(digits, start, length());
        }
    }
}
