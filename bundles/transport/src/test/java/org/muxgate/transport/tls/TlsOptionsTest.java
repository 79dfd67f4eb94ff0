package org.muxgate.transport.tls;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class TlsOptionsTest {

    @Test
    public void serverDefaultsAreHaproxys() {
        assertEquals(List.of("h2", "http/1.1"), ServerTlsOptions.DEFAULTS.alpn());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), ServerTlsOptions.DEFAULTS.protocols());
        assertTrue(ServerTlsOptions.DEFAULTS.tls12CipherSuites().isEmpty());
        assertTrue(ServerTlsOptions.DEFAULTS.tls13CipherSuites().isEmpty());
    }

    @Test
    public void alpnKeepsTheOrderGiven() throws Exception {
        assertEquals(List.of("http/1.1", "h2"), ServerTlsOptions.DEFAULTS.withAlpn("http/1.1,h2").alpn());
    }

    @Test
    public void alpnRefusesEmptyNames() {
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> ServerTlsOptions.DEFAULTS.withAlpn("h2,,x"));
        assertEquals("alpn 'h2,,x': each protocol name needs 1 to 255 bytes", e.getMessage());
    }

    @Test
    public void minVersionSelectsTheProtocols() throws Exception {
        assertEquals(List.of("TLSv1.3"), ServerTlsOptions.DEFAULTS.withMinVersion("TLSv1.3").protocols());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), ServerTlsOptions.DEFAULTS.withMinVersion("TLSv1.2").protocols());
    }

    @Test
    public void minVersionRefusesOldAndUnknownVersions() {
        for (String old : new String[] {"SSLv3", "TLSv1.0", "TLSv1.1"}) {
            TlsConfigException e = assertThrows(TlsConfigException.class,
                    () -> ServerTlsOptions.DEFAULTS.withMinVersion(old));
            assertEquals("ssl-min-ver " + old + " is refused: versions below TLSv1.2 are insecure and not supported",
                    e.getMessage());
        }
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> ServerTlsOptions.DEFAULTS.withMinVersion("TLSv2"));
        assertEquals("ssl-min-ver 'TLSv2': unknown version (expected TLSv1.2 or TLSv1.3)", e.getMessage());
    }

    @Test
    public void ciphersMapOpenSslNamesInOrder() throws Exception {
        ServerTlsOptions options = ServerTlsOptions.DEFAULTS.withCiphers("ECDHE-ECDSA-AES256-GCM-SHA384"
                + ":ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"
                + ":ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
        assertEquals(List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                options.tls12CipherSuites());
    }

    @Test
    public void ciphersRefuseUnknownNames() {
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> ServerTlsOptions.DEFAULTS.withCiphers("ECDHE-RSA-AES128-GCM-SHA256:HIGH"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("ciphers: unknown cipher 'HIGH' (known: DHE-RSA-"));
    }

    @Test
    public void cipherSuitesTakeTls13Names() throws Exception {
        assertEquals(List.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"),
                ServerTlsOptions.DEFAULTS.withCipherSuites("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256")
                        .tls13CipherSuites());
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> ServerTlsOptions.DEFAULTS.withCipherSuites("TLS_AES_128_CCM_8_SHA256"));
        assertEquals("ciphersuites: unknown TLS 1.3 suite 'TLS_AES_128_CCM_8_SHA256' (known: TLS_AES_128_GCM_SHA256,"
                + " TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256)", e.getMessage());
    }

    @Test
    public void clientDefaultsAreHaproxys() {
        assertTrue(ClientTlsOptions.DEFAULTS.verify());
        assertTrue(ClientTlsOptions.DEFAULTS.caFile().isEmpty());
        assertTrue(ClientTlsOptions.DEFAULTS.sni().isEmpty());
        assertTrue(ClientTlsOptions.DEFAULTS.alpn().isEmpty());
    }

    @Test
    public void clientVerifyTakesNoneOrRequired() throws Exception {
        assertFalse(ClientTlsOptions.DEFAULTS.withVerify("none").verify());
        assertTrue(ClientTlsOptions.DEFAULTS.withVerify("none").withVerify("required").verify());
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> ClientTlsOptions.DEFAULTS.withVerify("optional"));
        assertEquals("verify 'optional': expected none or required", e.getMessage());
    }

    @Test
    public void clientSniMustBeAHostName() {
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> ClientTlsOptions.DEFAULTS.withSni("a b"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("sni 'a b': not a host name"));
    }
}
