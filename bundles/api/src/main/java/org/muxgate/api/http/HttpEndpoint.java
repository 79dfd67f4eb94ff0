package org.muxgate.api.http;

import org.muxgate.api.transport.IoEvent;
import org.muxgate.api.transport.StreamEndpoint;

/**
 * The endpoint of an HTTP stream: where the stream receives the messages a peer
 * sent and sends those it forwards, in the internal form. Each direction carries
 * one message after the other: a request, then on the other direction its
 * interim responses (1xx) and its final response.
 *
 * <p>A message's head (start line to end of headers) is delivered whole, in one
 * call. After it, the endpoint delivers or takes blocks as they come; a body never
 * needs to fit in one buffer. The end of a message is taken with its last block:
 * once {@link #sendMessage} returns with its message empty and ended, the whole
 * message was taken (the endpoint writes what the end needs on the wire, such as a
 * last chunk, even if its buffers are full at that moment). After a {@code 101} response
 * (and a request with {@link HttpMessage#F_UPGRADE}) both directions carry the
 * bytes of the new protocol as data blocks, without end.
 *
 * <p>Called on the connection's thread only, by the stream that owns the endpoint.
 */
public interface HttpEndpoint extends StreamEndpoint {

    /**
     * Moves what the peer sent of the message being received into {@code into},
     * as much as fits. The first call of a message fills in its start line and flags.
     * Once the message has ended ({@link HttpMessage#isEnded()} on {@code into}), the
     * next message comes only after {@code into} is {@link HttpMessage#reset() reset}.
     *
     * @return a positive number whenever {@code into} changed (blocks added, or only
     *         its end: markers carry no payload, so the count is not a byte count);
     *         0 if nothing is available now (subscribe to {@link IoEvent#RECV}) or
     *         {@code into} has no room; -1 after an error or when the peer closed
     *         before the end of the message ({@link #isError()})
     */
    int receiveMessage(HttpMessage into);

    /**
     * Takes blocks from the head of {@code from} and sends them, as many as the
     * connection accepts now, in the framing of the wire.
     *
     * @return the bytes this put on the wire (framing included), positive whenever
     *         blocks were taken; 0 if nothing could be sent now (subscribe to
     *         {@link IoEvent#SEND}); -1 after an error
     */
    int sendMessage(HttpMessage from);

    /**
     * @return the HTTP status a failure of the peer's message calls for: 400 for a
     *         malformed request, 502 for a malformed response, 408 for a request
     *         that came too slowly; 0 if the peer's messages are well formed
     */
    int errorStatus();
}
