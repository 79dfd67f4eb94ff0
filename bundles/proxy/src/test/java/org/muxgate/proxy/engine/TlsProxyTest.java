package org.muxgate.proxy.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.Test;
import org.muxgate.mux.h2.H2MuxProto;

/**
 * TLS on both sides: {@code bind ... ssl crt} with ALPN choosing h2 or HTTP/1.1 for
 * curl and the JDK HttpClient, SNI choosing the certificate, bodies of several
 * MiB both ways, clients that fail or never finish their handshake while others
 * are served, and {@code server ... ssl} with verification of the server's name.
 */
public class TlsProxyTest extends HttpTestSupport {

    private static final Path CA = resource("ca.pem");
    private static final Path LOCALHOST = resource("localhost.pem");
    private static final Path B_TEST = resource("b-test.pem");

    private static Path resource(String name) {
        try {
            return Path.of(TlsProxyTest.class.getResource("tls/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A frontend "fe" in TLS with the localhost certificate (the default) and b.test's, to backend "be". */
    private void startTlsProxy(HttpTestBackend server, String... frontendLines) throws Exception {
        startHttpProxy(defaults() + "frontend fe\n  bind \"127.0.0.1:${FE}\" ssl crt " + LOCALHOST + " crt " + B_TEST
                + "\n  default_backend be\n" + indent(frontendLines) + httpBackend(), server.port());
        registry.register(new H2MuxProto(scheduler));
    }

    private HttpTestBackend echoTarget() throws IOException {
        return backend((request, index, socket) -> {
            String body = "you asked " + request.target();
            return ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body).getBytes(ISO_8859_1);
        });
    }

    private String url(String path) {
        return "https://localhost:" + proxyAddress().getPort() + path;
    }

    private static SSLContext trustingTestCa() throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(CA)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "60", "--cacert",
                CA.toString()));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), ISO_8859_1);
        assertTrue(curl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(out, 0, curl.exitValue());
        return out;
    }

    /** A GET over a new TLS 1.2 connection of {@code context}; @return the session's id */
    private byte[] getOverTls12(SSLContext context) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost",
                proxyAddress().getPort())) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setEnabledProtocols(new String[] { "TLSv1.2" });
            socket.startHandshake();
            send(socket, bytes("GET /resume HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"));
            assertEquals(200, response(input(socket)).status());
            return socket.getSession().getId();
        }
    }

    /**
     * Sessions resume: a TLS 1.2 client (the JDK's, whose cache is keyed by host and
     * port) gets its session back by id; a TLS 1.3 one (openssl, when installed) with
     * the ticket the proxy sent.
     */
    @Test
    public void sessionsResume() throws Exception {
        startTlsProxy(echoTarget());
        SSLContext client = trustingTestCa();
        byte[] first = getOverTls12(client);
        assertArrayEquals("TLS 1.2 session id", first, getOverTls12(client));

        assumeTrue("openssl is not installed", Files.isExecutable(Path.of("/usr/bin/openssl")));
        Path session = Files.createTempFile("muxgate-tls", ".session");
        try {
            String fresh = openssl("-sess_out", session.toString());
            assertTrue(fresh, fresh.contains("New, TLSv1.3"));
            String resumed = openssl("-sess_in", session.toString());
            assertTrue(resumed, resumed.contains("Reused, TLSv1.3"));
        } finally {
            Files.deleteIfExists(session);
        }
    }

    /** {@code openssl s_client} in TLS 1.3 sending a GET; the answer waits, so the ticket comes first. */
    private String openssl(String... sessionArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl", "s_client", "-tls1_3", "-connect",
                "127.0.0.1:" + proxyAddress().getPort(), "-servername", "localhost", "-CAfile", CA.toString(),
                "-ign_eof"));
        command.addAll(List.of(sessionArgs));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = openssl.getOutputStream()) {
            in.write(bytes("GET /resume HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"));
        }
        String out = new String(openssl.getInputStream().readAllBytes(), ISO_8859_1);
        assertTrue(openssl.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        return out;
    }

    @Test
    public void curlNegotiatesH2OrHttp11ByAlpn() throws Exception {
        assumeTrue("curl is not installed", Files.isExecutable(Path.of("/usr/bin/curl")));
        startTlsProxy(echoTarget());
        assertEquals("you asked /two 2 200", curl("--http2", "-w", " %{http_version} %{http_code}", url("/two")));
        assertEquals("you asked /one 1.1 200", curl("--http1.1", "-w", " %{http_version} %{http_code}",
                url("/one")));
    }

    @Test
    public void jdkHttpClientSpeaksH2OverTlsWithConcurrentStreams() throws Exception {
        startTlsProxy(echoTarget());
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTestCa()).version(HttpClient.Version.HTTP_2)
                .build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url("/item/" + i))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = answers.get(i).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals(200, response.statusCode());
            assertEquals("you asked /item/" + i, response.body());
        }
        HttpClient http11 = HttpClient.newBuilder().sslContext(trustingTestCa())
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http11.send(HttpRequest.newBuilder(URI.create(url("/h1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertEquals("you asked /h1", response.body());
    }

    @Test
    public void bodiesOfSeveralMebibytesCrossBothWaysIntact() throws Exception {
        byte[] big = new byte[6 << 20];
        new Random(7).nextBytes(big);
        HttpTestBackend server = backend((request, index, socket) -> {
            if (request.method().equals("POST")) {
                String digest = hex(request.body);
                return ("HTTP/1.1 200 OK\r\ncontent-length: " + digest.length() + "\r\n\r\n" + digest)
                        .getBytes(ISO_8859_1);
            }
            byte[] head = ("HTTP/1.1 200 OK\r\ncontent-length: " + big.length + "\r\n\r\n").getBytes(ISO_8859_1);
            byte[] all = new byte[head.length + big.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(big, 0, all, head.length, big.length);
            return all;
        });
        startTlsProxy(server);
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustingTestCa()).version(version).build();
            HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(URI.create(url("/big"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(version, download.version());
            assertArrayEquals(big, download.body());
            HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create(url("/up")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(hex(big), upload.body());
        }
    }

    @Test
    public void aSlowReaderGetsEveryByteOfALargeResponse() throws Exception {
        byte[] big = new byte[3 << 20];
        new Random(11).nextBytes(big);
        HttpTestBackend server = backend((request, index, socket) -> {
            byte[] head = ("HTTP/1.1 200 OK\r\ncontent-length: " + big.length + "\r\nconnection: close\r\n\r\n")
                    .getBytes(ISO_8859_1);
            byte[] all = new byte[head.length + big.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(big, 0, all, head.length, big.length);
            return all;
        });
        startTlsProxy(server);
        try (SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket("localhost",
                proxyAddress().getPort())) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n".getBytes(ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            // Reading nothing for a while fills the socket buffers: the proxy's writes end in partly sent
            // records, which it must finish before the rest (a tiny receive buffer would do it too, but
            // loopback's 64 KiB segments make TCP crawl then).
            Thread.sleep(300);
            HttpWire.Message response = response(in);
            assertEquals(200, response.status());
            assertArrayEquals(big, response.body);
        }
    }

    @Test
    public void sniChoosesTheCertificateAndAnUnknownNameGetsTheFirst() throws Exception {
        startTlsProxy(echoTarget());
        assertEquals("CN=b-test", peerSubject("b.test"));
        assertEquals("CN=localhost", peerSubject("elsewhere.test"));
        assertEquals("CN=localhost", peerSubject(null));
    }

    private String peerSubject(String serverName) throws Exception {
        try (SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket("127.0.0.1",
                proxyAddress().getPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        }
    }

    @Test
    public void clientsFailingOrStallingTheirHandshakeAreClosedWhileOthersAreServed() throws Exception {
        startHttpProxy(defaults("timeout client 1s") + "frontend fe\n  bind \"127.0.0.1:${FE}\" ssl crt " + LOCALHOST
                + "\n  default_backend be\n" + httpBackend(), echoTarget().port());
        HttpClient client = HttpClient.newBuilder().sslContext(trustingTestCa())
                .version(HttpClient.Version.HTTP_1_1).build();
        try (Socket plain = client(); Socket silent = client()) {
            // Plain HTTP on a TLS port: not a ClientHello.
            send(plain, bytes("GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
            assertEquals(-1, plain.getInputStream().read());
            // Served while the silent one holds its connection.
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url("/ok"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("you asked /ok", response.body());
            // No ClientHello at all: closed at timeout client.
            assertEquals(-1, silent.getInputStream().read());
        }
    }

    @Test
    public void serverSslVerifiesTheServerCertificateAgainstSni() throws Exception {
        int tlsPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tlsPort = probe.getLocalPort();
        }
        String origin = "frontend origin\n  bind \"127.0.0.1:${S1}\" ssl crt " + LOCALHOST + "\n"
                + "  http-request return status 200 content-type text/plain string \"over tls\"\n";
        String backends = "backend be\n  server s1 \"127.0.0.1:${S1}\" ssl verify required ca-file " + CA
                + " sni str(localhost)\n"
                + "backend wrong\n  server s1 \"127.0.0.1:${S1}\" ssl verify required ca-file " + CA
                + " sni str(b.test)\n"
                + "backend unverified\n  server s1 \"127.0.0.1:${S1}\" ssl verify none\n";
        startHttpProxy(defaults() + "frontend fe\n  bind \"127.0.0.1:${FE}\"\n"
                + "  use_backend wrong if { path_beg /wrong }\n  use_backend unverified if { path_beg /none }\n"
                + "  default_backend be\n" + origin + backends, tlsPort);
        try (Socket socket = client()) {
            InputStream in = input(socket);
            send(socket, bytes("GET /right HTTP/1.1\r\nhost: x\r\n\r\n"));
            HttpWire.Message right = response(in);
            assertEquals(200, right.status());
            assertEquals("over tls", new String(right.body, ISO_8859_1));
            send(socket, bytes("GET /none HTTP/1.1\r\nhost: x\r\n\r\n"));
            assertEquals("over tls", new String(response(in).body, ISO_8859_1));
            // The certificate names localhost, not b.test: no connection, and 503 as HAProxy answers.
            send(socket, bytes("GET /wrong HTTP/1.1\r\nhost: x\r\n\r\n"));
            assertEquals(503, response(in).status());
        }
    }

    private static String hex(byte[] bytes) {
        try {
            StringBuilder text = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                text.append(String.format("%02x", b));
            }
            return text.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
