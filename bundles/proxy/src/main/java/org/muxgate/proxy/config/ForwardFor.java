package org.muxgate.proxy.config;

import org.muxgate.proxy.rules.Network;

/**
 * {@code option forwardfor [except NETWORK] [header NAME] [if-none]}: the client's
 * address is added to each request in a header. As in HAProxy, the header is
 * added when the frontend or the backend asks for it, with the backend's settings
 * when it has the option, else the frontend's.
 *
 * @param except     clients of this network get no header (typically the proxy's own
 *                   network, or {@code 127.0.0.1/8}), or null
 * @param headerName lower case, {@value #DEFAULT_HEADER} by default
 * @param ifNone     add the header only when the request has none of that name
 */
public record ForwardFor(Network except, String headerName, boolean ifNone) {

    /** The header HAProxy adds when {@code header} is not given. */
    public static final String DEFAULT_HEADER = "x-forwarded-for";
}
