package org.muxgate.api.transport;

/** What a mux carries: raw bytes, or HTTP messages. Matches a proxy's {@code mode}. */
public enum ProtoMode {
    /** Bytes forwarded as they come. */
    TCP,
    /** HTTP messages. */
    HTTP
}
