package org.muxgate.transport.tls;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.transport.tls.TlsTestSupport.bundle;
import static org.muxgate.transport.tls.TlsTestSupport.handshake;
import static org.muxgate.transport.tls.TlsTestSupport.peerLeaf;
import static org.muxgate.transport.tls.TlsTestSupport.pem;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Server connections: verification, SNI and resumption, against a server engine in memory. */
public class ClientTlsContextTest {

    private static final String PEER = "127.0.0.1";
    private static final int PORT = 8443;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static ServerTlsContext testCaServer;

    @BeforeClass
    public static void startServer() throws Exception {
        testCaServer = ServerTlsContext.create(List.of(bundle("a-rsa.pem")), ServerTlsOptions.DEFAULTS);
    }

    @Test
    public void verifyRequiredAcceptsACertificateFromTheCaFileWithTheSniName() throws Exception {
        SSLEngine client = trustingTestCa().withSni("a.test").newEngine();
        handshake(client, testCaServer.newEngine());
        assertEquals(bundle("a-rsa.pem").leaf(), peerLeaf(client));
    }

    @Test
    public void verifyRequiredRefusesACertificateFromAnotherCa() throws Exception {
        ServerTlsContext otherCaServer = ServerTlsContext.create(List.of(bundle("other-rsa.pem")), ServerTlsOptions.DEFAULTS);
        SSLEngine client = trustingTestCa().withSni("a.test").newEngine();
        assertThrows(SSLHandshakeException.class, () -> handshake(client, otherCaServer.newEngine()));
    }

    @Test
    public void verifyRequiredWithACaFileOfAnotherCaRefusesTheTestCa() throws Exception {
        ClientTlsContext context = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withCaFile(pem("other-ca.pem"))
                .withSni("a.test"));
        assertThrows(SSLHandshakeException.class, () -> handshake(context.newEngine(PEER, PORT), testCaServer.newEngine()));
    }

    @Test
    public void verifyRequiredWithoutCaFileUsesTheJdksTrustStore() throws Exception {
        ClientTlsContext context = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withSni("a.test"));
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(context.newEngine(PEER, PORT), testCaServer.newEngine()));
        assertTrue(e.getMessage(), e.getMessage().contains("PKIX path building failed"));
    }

    @Test
    public void verifyRequiredChecksTheCertificateAgainstTheSniName() throws Exception {
        // The server answers unknown.test with its default certificate, for a.test.
        SSLEngine client = trustingTestCa().withSni("unknown.test").newEngine();
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> handshake(client, testCaServer.newEngine()));
        assertTrue(e.getMessage(), e.getMessage().contains("No subject alternative"));
    }

    @Test
    public void verifyRequiredWithoutSniChecksNoHostName() throws Exception {
        SSLEngine client = trustingTestCa().newEngine();
        SSLEngine server = testCaServer.newEngine();
        handshake(client, server);
        assertTrue(((ExtendedSSLSession) server.getSession()).getRequestedServerNames().isEmpty());
    }

    @Test
    public void verifyNoneAcceptsAnyCertificate() throws Exception {
        ServerTlsContext otherCaServer = ServerTlsContext.create(List.of(bundle("other-rsa.pem")), ServerTlsOptions.DEFAULTS);
        SSLEngine client = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withVerify("none").withSni("elsewhere.test"))
                .newEngine(PEER, PORT);
        handshake(client, otherCaServer.newEngine());
        assertEquals(bundle("other-rsa.pem").leaf(), peerLeaf(client));
    }

    @Test
    public void theSniNameIsSent() throws Exception {
        SSLEngine server = testCaServer.newEngine();
        handshake(trustingTestCa().withSni("a.test").newEngine(), server);
        assertEquals(List.of(new SNIHostName("a.test")),
                ((ExtendedSSLSession) server.getSession()).getRequestedServerNames());
    }

    @Test
    public void alpnOffersTheConfiguredProtocols() throws Exception {
        SSLEngine client = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withVerify("none").withAlpn("http/1.1"))
                .newEngine(PEER, PORT);
        handshake(client, testCaServer.newEngine());
        assertEquals("http/1.1", client.getApplicationProtocol());
    }

    @Test
    public void aBadCaFileIsAConfigError() throws Exception {
        Path missing = folder.getRoot().toPath().resolve("missing.pem");
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withCaFile(missing)));
        assertEquals("ca-file '" + missing + "': cannot read: no such file", e.getMessage());
        Path empty = folder.newFile("empty.pem").toPath();
        e = assertThrows(TlsConfigException.class, () -> ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withCaFile(empty)));
        assertEquals("ca-file '" + empty + "': no certificate", e.getMessage());
    }

    @Test
    public void tls12ResumesTheSessionWithTheSamePeer() throws Exception {
        ClientTlsContext context = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withCaFile(pem("ca.pem")).withSni("a.test"));
        SSLSession first = tls12Handshake(context, PORT);
        SSLSession second = tls12Handshake(context, PORT);
        assertTrue(first.getId().length > 0);
        assertArrayEquals(first.getId(), second.getId());
        assertEquals(first.getCreationTime(), second.getCreationTime());

        SSLSession otherPort = tls12Handshake(context, PORT + 1);
        assertNotEquals(List.of(first.getId()), List.of(otherPort.getId()));
    }

    /**
     * TLS 1.3 resumes with a PSK from the server's ticket, under a new session id. What
     * shows it from outside: the server sends no certificate (its flight shrinks by
     * more than the leaf's size) and the JDK's resumed session keeps the creation time
     * of the session it resumes.
     */
    @Test
    public void tls13ResumesWithATicketFromTheSamePeer() throws Exception {
        ClientTlsContext context = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withCaFile(pem("ca.pem")).withSni("a.test"));
        int leafSize = bundle("a-rsa.pem").leaf().getEncoded().length;

        SSLEngine first = context.newEngine(PEER, PORT);
        long fullBytes = handshake(first, testCaServer.newEngine());
        Thread.sleep(5); // so that a new session could not share the first one's creation time
        SSLEngine second = context.newEngine(PEER, PORT);
        long resumedBytes = handshake(second, testCaServer.newEngine());

        assertEquals("TLSv1.3", second.getSession().getProtocol());
        assertTrue(fullBytes + " then " + resumedBytes, resumedBytes < fullBytes - leafSize);
        assertEquals(first.getSession().getCreationTime(), second.getSession().getCreationTime());

        SSLEngine otherPort = context.newEngine(PEER, PORT + 1);
        long otherPortBytes = handshake(otherPort, testCaServer.newEngine());
        assertTrue(otherPortBytes > resumedBytes + leafSize);
        assertNotEquals(first.getSession().getCreationTime(), otherPort.getSession().getCreationTime());
    }

    private static SSLSession tls12Handshake(ClientTlsContext context, int port) throws Exception {
        SSLEngine client = context.newEngine(PEER, port);
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        handshake(client, testCaServer.newEngine());
        return client.getSession();
    }

    private static EngineMaker trustingTestCa() {
        return new EngineMaker(ClientTlsOptions.DEFAULTS.withCaFile(pem("ca.pem")));
    }

    /** Options under construction, then an engine for {@link #PEER}. */
    private static final class EngineMaker {
        private final ClientTlsOptions options;

        EngineMaker(ClientTlsOptions options) {
            this.options = options;
        }

        EngineMaker withSni(String name) throws TlsConfigException {
            return new EngineMaker(options.withSni(name));
        }

        SSLEngine newEngine() throws TlsConfigException {
            return ClientTlsContext.create(options).newEngine(PEER, PORT);
        }
    }
}
