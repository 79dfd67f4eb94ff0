/**
 * TLS as HAProxy's {@code bind ... ssl} and {@code server ... ssl} need it, on the
 * JDK's {@link javax.net.ssl.SSLEngine}: PEM bundles ({@link org.muxgate.transport.tls.PemBundle}),
 * the listeners' side ({@link org.muxgate.transport.tls.ServerTlsContext}, with SNI
 * certificate selection and ALPN) and the server connections' side
 * ({@link org.muxgate.transport.tls.ClientTlsContext}). Plain Java: java.security
 * and javax.net.ssl only.
 *
 * <h2>Threads</h2>
 * Bundles, options and contexts are immutable and may be shared by every thread.
 * An engine a context creates belongs to one connection and is driven by that
 * connection's thread only, as {@link javax.net.ssl.SSLEngine} requires.
 */
@Export
@Version("1.0.0")
package org.muxgate.transport.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
