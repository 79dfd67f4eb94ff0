package org.muxgate.transport.tls;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The test PEM files, and a handshake between two engines over in-memory buffers,
 * delegated tasks run inline. One thread per call.
 */
final class TlsTestSupport {

    /** Larger than any handshake flight here, so no buffer ever overflows. */
    private static final int BUFFER_SIZE = 1 << 17;
    private static final int MAX_ROUNDS = 100;

    /** A file of src/test/resources/org/muxgate/transport/tls. */
    static Path pem(String name) {
        URL url = TlsTestSupport.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PemBundle bundle(String name) throws TlsConfigException {
        return PemBundle.load(pem(name));
    }

    /**
     * Runs the handshake to its end, and on until neither engine has anything left
     * to send, so that a TLS 1.3 client has read the server's session tickets.
     *
     * @return the bytes the server sent
     * @throws SSLException as the first engine to fail throws it
     */
    static long handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer clientToServer = ByteBuffer.allocate(BUFFER_SIZE);
        ByteBuffer serverToClient = ByteBuffer.allocate(BUFFER_SIZE);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        ByteBuffer plaintext = ByteBuffer.allocate(BUFFER_SIZE);
        client.beginHandshake();
        server.beginHandshake();
        long serverBytes = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean progress = wrap(client, nothing, clientToServer);
            progress |= unwrap(server, clientToServer, plaintext);
            int before = serverToClient.position();
            progress |= wrap(server, nothing, serverToClient);
            serverBytes += serverToClient.position() - before;
            progress |= unwrap(client, serverToClient, plaintext);
            if (!progress && finished(client) && finished(server)) {
                return serverBytes;
            }
        }
        throw new AssertionError("the handshake did not end in " + MAX_ROUNDS + " rounds");
    }

    /** The leaf certificate the client received. */
    static Certificate peerLeaf(SSLEngine client) throws SSLPeerUnverifiedException {
        return client.getSession().getPeerCertificates()[0];
    }

    private static boolean wrap(SSLEngine engine, ByteBuffer source, ByteBuffer network) throws SSLException {
        SSLEngineResult result = engine.wrap(source, network);
        runTasks(engine);
        return result.bytesProduced() > 0;
    }

    private static boolean unwrap(SSLEngine engine, ByteBuffer network, ByteBuffer plaintext) throws SSLException {
        network.flip();
        try {
            SSLEngineResult result = engine.unwrap(network, plaintext);
            runTasks(engine);
            return result.bytesConsumed() > 0;
        } finally {
            network.compact();
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    private static boolean finished(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private TlsTestSupport() {
    }
}
