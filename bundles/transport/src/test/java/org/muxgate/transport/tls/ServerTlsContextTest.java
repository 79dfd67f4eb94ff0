package org.muxgate.transport.tls;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.transport.tls.TlsTestSupport.bundle;
import static org.muxgate.transport.tls.TlsTestSupport.handshake;
import static org.muxgate.transport.tls.TlsTestSupport.peerLeaf;

import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.BeforeClass;
import org.junit.Test;

/** Real handshakes between a server engine of the context under test and a client engine, in memory. */
public class ServerTlsContextTest {

    private static PemBundle aRsa;
    private static PemBundle aEc;
    private static PemBundle bEc;
    private static PemBundle wildRsa;
    private static ServerTlsContext sniServer;

    @BeforeClass
    public static void loadBundles() throws Exception {
        aRsa = bundle("a-rsa.pem");
        aEc = bundle("a-ec.pem");
        bEc = bundle("b-ec.pem");
        wildRsa = bundle("wild-rsa.pem");
        sniServer = ServerTlsContext.create(List.of(aRsa, bEc, wildRsa), ServerTlsOptions.DEFAULTS);
    }

    @Test
    public void sniChoosesTheCertificateWithThatName() throws Exception {
        assertEquals(aRsa.leaf(), leafSeenFor("a.test"));
        assertEquals(bEc.leaf(), leafSeenFor("b.test"));
        assertEquals(bEc.leaf(), leafSeenFor("www.b.test"));
    }

    @Test
    public void sniMatchesNamesWhateverTheirCase() throws Exception {
        assertEquals(bEc.leaf(), leafSeenFor("B.Test"));
    }

    @Test
    public void aWildcardMatchesOneLabel() throws Exception {
        assertEquals(wildRsa.leaf(), leafSeenFor("x.wild.test"));
        assertEquals(aRsa.leaf(), leafSeenFor("x.y.wild.test"));
        assertEquals(aRsa.leaf(), leafSeenFor("wild.test"));
    }

    @Test
    public void anUnknownNameOrNoSniGetsTheFirstCertificate() throws Exception {
        assertEquals(aRsa.leaf(), leafSeenFor("unknown.test"));
        SSLEngine client = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withVerify("none")).newEngine("127.0.0.1", 443);
        handshake(client, sniServer.newEngine());
        assertEquals(aRsa.leaf(), peerLeaf(client));
    }

    @Test
    public void theDefaultCertificateIsTheFirstGiven() throws Exception {
        ServerTlsContext server = ServerTlsContext.create(List.of(bEc, aRsa), ServerTlsOptions.DEFAULTS);
        SSLEngine client = client("unknown.test");
        handshake(client, server.newEngine());
        assertEquals(bEc.leaf(), peerLeaf(client));
    }

    @Test
    public void amongCertificatesForOneNameTheKeyTypeTheClientAsksForWins() throws Exception {
        ServerTlsContext server = ServerTlsContext.create(List.of(aRsa, aEc), ServerTlsOptions.DEFAULTS);
        SSLEngine ecdsaClient = client("a.test");
        ecdsaClient.setEnabledProtocols(new String[] {"TLSv1.2"});
        ecdsaClient.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        handshake(ecdsaClient, server.newEngine());
        assertEquals(aEc.leaf(), peerLeaf(ecdsaClient));

        SSLEngine rsaClient = client("a.test");
        rsaClient.setEnabledProtocols(new String[] {"TLSv1.2"});
        rsaClient.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        handshake(rsaClient, server.newEngine());
        assertEquals(aRsa.leaf(), peerLeaf(rsaClient));
    }

    @Test
    public void alpnChoosesOurFirstProtocolThatTheClientOffers() throws Exception {
        assertEquals("h2", negotiatedAlpn("h2,http/1.1"));
        assertEquals("h2", negotiatedAlpn("http/1.1,h2"));
        assertEquals("http/1.1", negotiatedAlpn("http/1.1"));
    }

    @Test
    public void alpnWithoutACommonProtocolGoesOnWithoutAlpn() throws Exception {
        assertEquals("", negotiatedAlpn("spdy/3"));
    }

    @Test
    public void aClientOfferingNoAlpnGetsNone() throws Exception {
        SSLEngine client = client("a.test");
        SSLEngine server = sniServer.newEngine();
        handshake(client, server);
        assertEquals("", client.getApplicationProtocol());
        assertEquals("", server.getApplicationProtocol());
    }

    @Test
    public void minVersionTls13RefusesATls12Client() throws Exception {
        ServerTlsContext server = ServerTlsContext.create(List.of(aRsa),
                ServerTlsOptions.DEFAULTS.withMinVersion("TLSv1.3"));
        SSLEngine tls12Client = client("a.test");
        tls12Client.setEnabledProtocols(new String[] {"TLSv1.2"});
        assertThrows(SSLHandshakeException.class, () -> handshake(tls12Client, server.newEngine()));

        SSLEngine client = client("a.test");
        handshake(client, server.newEngine());
        assertEquals("TLSv1.3", client.getSession().getProtocol());
    }

    @Test
    public void minVersionTls12AcceptsATls12Client() throws Exception {
        SSLEngine client = client("a.test");
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        handshake(client, sniServer.newEngine());
        assertEquals("TLSv1.2", client.getSession().getProtocol());
    }

    @Test
    public void theServersCipherOrderWins() throws Exception {
        ServerTlsContext server = ServerTlsContext.create(List.of(aRsa), ServerTlsOptions.DEFAULTS
                .withCiphers("ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384")
                .withCipherSuites("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384"));
        SSLEngine tls12Client = client("a.test");
        tls12Client.setEnabledProtocols(new String[] {"TLSv1.2"});
        tls12Client.setEnabledCipherSuites(new String[] {
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"});
        handshake(tls12Client, server.newEngine());
        assertEquals("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", tls12Client.getSession().getCipherSuite());

        SSLEngine tls13Client = client("a.test");
        handshake(tls13Client, server.newEngine());
        assertEquals("TLS_CHACHA20_POLY1305_SHA256", tls13Client.getSession().getCipherSuite());
    }

    @Test
    public void aClientWithoutTheConfiguredSuitesIsRefused() throws Exception {
        ServerTlsContext server = ServerTlsContext.create(List.of(aRsa),
                ServerTlsOptions.DEFAULTS.withCiphers("ECDHE-RSA-AES256-GCM-SHA384"));
        SSLEngine client = client("a.test");
        client.setEnabledProtocols(new String[] {"TLSv1.2"});
        client.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        assertThrows(SSLHandshakeException.class, () -> handshake(client, server.newEngine()));
    }

    @Test
    public void aListenerNeedsACertificate() {
        assertThrows(IllegalArgumentException.class, () -> ServerTlsContext.create(List.of(), ServerTlsOptions.DEFAULTS));
    }

    @Test
    public void selectionPrefersOurOrder() {
        assertEquals("h2", ServerTlsContext.select(List.of("h2", "http/1.1"), List.of("http/1.1", "h2")));
        assertEquals("", ServerTlsContext.select(List.of("h2"), List.of()));
    }

    private static SSLEngine client(String sni) throws TlsConfigException {
        return ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withVerify("none").withSni(sni))
                .newEngine("127.0.0.1", 443);
    }

    private static Object leafSeenFor(String sni) throws Exception {
        SSLEngine client = client(sni);
        handshake(client, sniServer.newEngine());
        return peerLeaf(client);
    }

    private static String negotiatedAlpn(String offered) throws Exception {
        SSLEngine client = ClientTlsContext.create(ClientTlsOptions.DEFAULTS.withVerify("none").withSni("a.test")
                .withAlpn(offered)).newEngine("127.0.0.1", 443);
        SSLEngine server = sniServer.newEngine();
        handshake(client, server);
        assertEquals(server.getApplicationProtocol(), client.getApplicationProtocol());
        assertTrue(client.getSession().isValid());
        return client.getApplicationProtocol();
    }
}
