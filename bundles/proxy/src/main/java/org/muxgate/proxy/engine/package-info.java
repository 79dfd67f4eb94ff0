/**
 * The engine that runs a parsed configuration: {@code ProxyEngine} opens the
 * frontends' listeners on a {@code org.muxgate.transport.Transport}; each frontend
 * ({@code FrontendRuntime}) opens a {@code TcpStream} for each stream its
 * connections' muxes bring; a stream picks a server with its backend's
 * ({@code BackendRuntime}) load balancer, connects, and forwards both ways.
 * Private to the bundle.
 */
package org.muxgate.proxy.engine;
