package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * The TLS keywords of bind lines ({@code ssl}, {@code crt}, {@code alpn},
 * {@code ssl-min-ver}, {@code ciphers}, {@code ciphersuites}) and server lines
 * ({@code ssl}, {@code verify}, {@code ca-file}, {@code sni}, {@code alpn},
 * {@code check-ssl}): what they build, and a line-numbered error for each misuse.
 */
public class TlsConfigTest {

    private static final Path FILE = Path.of("/etc/muxgate.cfg");
    private static final String CRT = resource("localhost.pem");
    private static final String CA = resource("ca.pem");

    private static String resource(String name) {
        try {
            return Path.of(TlsConfigTest.class.getResource("/org/muxgate/proxy/engine/tls/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Configuration parse(String text) throws ConfigException {
        return ConfigParser.parse(FILE, text, Map.of(), host -> {
            throw new UnknownHostException(host);
        });
    }

    private static String errors(String config) {
        return assertThrows(ConfigException.class, () -> parse(config)).getMessage();
    }

    @Test
    public void anHttpBindOffersH2AndHttp11UnlessToldAndATcpBindOffersNothingUnlessTold() throws ConfigException {
        Configuration config = parse("frontend web\n  mode http\n  bind :443 ssl crt " + CRT + "\n"
                + "  bind :8443 ssl crt " + CRT + " alpn http/1.1 ssl-min-ver TLSv1.3\n"
                + "frontend raw\n  mode tcp\n  bind :9443 ssl crt " + CRT + "\n"
                + "  bind :9444 ssl crt " + CRT + " alpn h2\n"
                + "frontend plain\n  bind :80\n");
        List<Bind> web = config.frontend("web").orElseThrow().binds();
        assertEquals(List.of("h2", "http/1.1"), web.get(0).tls().options().alpn());
        assertEquals(List.of("http/1.1"), web.get(1).tls().options().alpn());
        assertEquals(List.of("TLSv1.3"), web.get(1).tls().options().protocols());
        List<Bind> raw = config.frontend("raw").orElseThrow().binds();
        assertEquals(List.of(), raw.get(0).tls().options().alpn());
        assertEquals(List.of("h2"), raw.get(1).tls().options().alpn());
        assertNull(config.frontend("plain").orElseThrow().binds().get(0).tls());
    }

    @Test
    public void serverSslBuildsOneContextThatChecksInheritUnlessTheyGoElsewhere() throws ConfigException {
        Configuration config = parse("backend b\n"
                + "  server s1 10.0.0.1:443 ssl verify required ca-file " + CA + " sni str(app.test) alpn http/1.1"
                + " check\n"
                + "  server s2 10.0.0.2:443 ssl verify none check port 8443\n"
                + "  server s3 10.0.0.3:80 check check-ssl verify none\n"
                + "  server s4 10.0.0.4:443 ssl ca-file @system-ca\n"
                + "  server s5 10.0.0.5:80\n");
        List<Server> servers = config.backend("b").orElseThrow().servers();
        Server s1 = servers.get(0);
        assertNotNull(s1.tls());
        assertSame(s1.tls(), s1.checkTls());
        assertTrue(s1.tls().options().verify());
        assertEquals("app.test", s1.tls().options().sni().orElseThrow());
        assertEquals(List.of("http/1.1"), s1.tls().options().alpn());
        assertNotNull(servers.get(1).tls());
        assertNull("a check port of its own: plain checks unless check-ssl", servers.get(1).checkTls());
        assertNull(servers.get(2).tls());
        assertNotNull(servers.get(2).checkTls());
        assertTrue(servers.get(3).tls().options().caFile().isEmpty());
        assertNull(servers.get(4).tls());
    }

    @Test
    public void eachMisuseIsAnErrorOfItsLine() {
        String missing = "/nonexistent/muxgate.pem";
        String message = errors("frontend f\n"
                + "  bind :1 ssl\n"
                + "  bind :2 crt " + CRT + "\n"
                + "  bind :3 ssl crt " + missing + "\n"
                + "  bind :4 ssl crt " + CRT + " ssl-min-ver TLSv1.1\n"
                + "  bind :5 ssl crt " + CRT + " ciphers RC4-MD5\n"
                + "  bind :6 ssl crt " + CRT + " ciphersuites TLS_FAKE\n"
                + "  bind :7 ssl crt " + CRT + " alpn h2,,http/1.1\n"
                + "  bind :8 ssl crt " + CRT + "\n"
                + "backend b\n"
                + "  server s1 10.0.0.1:443 ssl\n"
                + "  server s2 10.0.0.1:443 ssl verify maybe\n"
                + "  server s3 10.0.0.1:443 ssl verify none sni req.hdr(host)\n"
                + "  server s4 10.0.0.1:443 verify none\n"
                + "  server s5 10.0.0.1:443 ssl ca-file " + missing + "\n");
        String[] lines = message.split("\n");
        assertEquals(message, 12, lines.length);
        assertEquals("/etc/muxgate.cfg:2: 'bind': 'ssl' needs a 'crt FILE': a PEM file with the certificate chain"
                + " and its private key", lines[0]);
        assertEquals("/etc/muxgate.cfg:3: 'bind': 'crt', 'alpn', 'ssl-min-ver', 'ciphers' and 'ciphersuites'"
                + " need 'ssl'", lines[1]);
        assertTrue(lines[2], lines[2].startsWith("/etc/muxgate.cfg:4: 'bind': ") && lines[2].contains(missing));
        assertTrue(lines[3], lines[3].startsWith("/etc/muxgate.cfg:5: 'bind': ssl-min-ver TLSv1.1 is refused"));
        assertTrue(lines[4], lines[4].startsWith("/etc/muxgate.cfg:6: 'bind': ciphers: unknown cipher 'RC4-MD5'"));
        assertTrue(lines[5], lines[5].startsWith("/etc/muxgate.cfg:7: 'bind': ciphersuites: unknown TLS 1.3 suite"));
        assertTrue(lines[6], lines[6].startsWith("/etc/muxgate.cfg:8: 'bind': alpn 'h2,,http/1.1'"));
        assertEquals("/etc/muxgate.cfg:11: 'server': server 's1': 'verify required' is the default but no 'ca-file'"
                + " is given: name one ('@system-ca' for the system's), or set 'verify none' where the network is"
                + " trusted", lines[7]);
        assertEquals("/etc/muxgate.cfg:12: 'server': verify 'maybe': expected none or required", lines[8]);
        assertEquals("/etc/muxgate.cfg:13: 'server': sni 'req.hdr(host)': only a fixed name, str(NAME), is"
                + " supported", lines[9]);
        assertEquals("/etc/muxgate.cfg:14: 'server': 'verify', 'ca-file', 'sni' and 'alpn' need 'ssl' or"
                + " 'check-ssl'", lines[10]);
        assertTrue(lines[11], lines[11].startsWith("/etc/muxgate.cfg:15: 'server': ca-file '" + missing + "'"));
    }
}
