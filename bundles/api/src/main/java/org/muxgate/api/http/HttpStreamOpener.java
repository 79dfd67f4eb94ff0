package org.muxgate.api.http;

import org.muxgate.api.transport.StreamOpener;

/**
 * The proxy's side of a frontend connection in HTTP mode: besides opening a stream
 * for each request, it gives the mux the frontend's HTTP settings. A frontend HTTP
 * mux receives one from {@code MuxProto.create}; the endpoints it opens streams
 * with are {@link HttpEndpoint}s.
 */
public interface HttpStreamOpener extends StreamOpener {

    /** @return the settings of the frontend; the same object for the connection's life */
    HttpSettings httpSettings();
}
