package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** Files that parse, and the model they give. */
public class ConfigParserTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigParserTest.class.getResource(name).toURI());
    }

    private static InetSocketAddress address(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    private static InetSocketAddress wildcard(int port) throws UnknownHostException {
        return address("0.0.0.0", port);
    }

    private static Timeouts timeouts(Map<TimeoutKind, Duration> values) {
        return new Timeouts(values);
    }

    @Test
    public void everyKeywordAndForm() throws Exception {
        Path file = resource("full.cfg");
        Configuration config = ConfigParser.parse(file, Map.of());

        assertEquals(file, config.source());
        assertEquals(new GlobalSettings(8, 50000, 32768), config.global());
        assertEquals(List.of("tcp-in", "stats"), config.frontends().stream().map(Frontend::name).toList());
        assertEquals(List.of("app", "db", "tcp-in", "stats"), config.backends().stream().map(Backend::name).toList());
        assertEquals(List.of(), config.warnings());

        Frontend tcpIn = config.frontend("tcp-in").orElseThrow();
        assertEquals(23, tcpIn.line());
        assertEquals(Mode.TCP, tcpIn.mode());
        assertEquals(List.of(
                new Bind(24, List.of(address("127.0.0.1", 8080)), null),
                new Bind(25, List.of(wildcard(8081), wildcard(8082)), "h2"),
                new Bind(26, List.of(address("::", 8443)), null),
                new Bind(27, List.of(address("::1", 8444)), null),
                new Bind(28, List.of(address("::1", 8445)), null)), tcpIn.binds());
        assertEquals(500, tcpIn.maxconn());
        assertEquals("app", tcpIn.defaultBackend());
        assertEquals(List.of(new BackendRule("app", 31, null)), tcpIn.useBackends());
        assertEquals(timeouts(Map.of(TimeoutKind.CLIENT, Duration.ofSeconds(10),
                TimeoutKind.CLIENT_FIN, Duration.ofSeconds(1))), tcpIn.timeouts());

        Backend app = config.backend("app").orElseThrow();
        assertEquals(34, app.line());
        assertEquals(Mode.TCP, app.mode());
        assertEquals(BalanceAlgorithm.ROUNDROBIN, app.balance().algorithm());
        assertEquals(2, app.retries());
        assertTrue(app.redispatch());
        assertEquals(timeouts(Map.of(TimeoutKind.CONNECT, Duration.ofSeconds(5),
                TimeoutKind.SERVER, Duration.ofSeconds(30),
                TimeoutKind.TUNNEL, Duration.ofHours(1),
                TimeoutKind.SERVER_FIN, Duration.ofMillis(2000),
                TimeoutKind.QUEUE, Duration.ofMinutes(1))), app.timeouts());
        assertEquals(Duration.ofSeconds(5), app.timeouts().get(TimeoutKind.CONNECT).orElseThrow());
        assertFalse(app.timeouts().get(TimeoutKind.CLIENT).isPresent());

        List<Server> servers = app.servers();
        assertEquals(4, servers.size());
        assertEquals(new Server("s1", 36, address("127.0.0.1", 9001), 10, 100, false, false, null), servers.get(0));
        assertEquals(new Server("s2", 37, address("127.0.0.1", 9002), 1, 0, false, true, null), servers.get(1));
        assertEquals(new Server("s3", 38, address("::1", 9003), 1, 0, true, false, "h2"), servers.get(2));
        Server s4 = servers.get(3);
        assertTrue(s4.address().getAddress().isLoopbackAddress());
        assertEquals("localhost", s4.address().getHostString());
        assertEquals(9004, s4.address().getPort());
        assertEquals(0, s4.weight());

        Backend db = config.backend("db").orElseThrow();
        assertFalse(db.redispatch());
        assertEquals(0, db.retries());
        assertEquals(BalanceAlgorithm.LEASTCONN, db.balance().algorithm());
        assertFalse(db.timeouts().get(TimeoutKind.QUEUE).isPresent());
        assertEquals(List.of(new Server("db1", 45, address("10.0.0.5", 5432), 1, 0, false, false, null)),
                db.servers());

        Frontend statsFrontend = config.frontend("stats").orElseThrow();
        Backend statsBackend = config.backend("stats").orElseThrow();
        assertEquals("stats", statsFrontend.defaultBackend());
        assertEquals(1000, statsFrontend.maxconn());
        assertEquals(List.of(new Bind(53, List.of(address("127.0.0.1", 9999)), null)), statsFrontend.binds());
        assertEquals(BalanceAlgorithm.FIRST, statsBackend.balance().algorithm());
        assertEquals(51, statsFrontend.line());
        assertEquals(51, statsBackend.line());
        assertEquals(Duration.ofSeconds(30), statsFrontend.timeouts().get(TimeoutKind.CLIENT).orElseThrow());
        assertEquals(Duration.ofSeconds(30), statsBackend.timeouts().get(TimeoutKind.SERVER).orElseThrow());
        assertFalse(statsFrontend.timeouts().get(TimeoutKind.SERVER).isPresent());
    }

    @Test
    public void eachDefaultsSectionAppliesUntilTheNextOne() throws Exception {
        Configuration config = ConfigParser.parse(resource("several-defaults.cfg"), Map.of());

        Frontend web = config.frontend("web").orElseThrow();
        assertEquals(Mode.HTTP, web.mode());
        assertEquals("web-servers", web.defaultBackend());
        assertEquals(timeouts(Map.of(TimeoutKind.CLIENT, Duration.ofSeconds(2))), web.timeouts());
        Backend webServers = config.backend("web-servers").orElseThrow();
        assertEquals(Mode.HTTP, webServers.mode());
        assertEquals(BalanceAlgorithm.SOURCE, webServers.balance().algorithm());
        assertEquals(5, webServers.retries());
        assertEquals(timeouts(Map.of(TimeoutKind.CONNECT, Duration.ofSeconds(1),
                TimeoutKind.SERVER, Duration.ofSeconds(3))), webServers.timeouts());

        // The second defaults section starts from the built-in values, not from the first one.
        Frontend mail = config.frontend("mail").orElseThrow();
        assertEquals(Mode.TCP, mail.mode());
        assertEquals("mail-servers", mail.defaultBackend());
        Backend mailServers = config.backend("mail-servers").orElseThrow();
        assertEquals(BalanceAlgorithm.ROUNDROBIN, mailServers.balance().algorithm());
        assertEquals(3, mailServers.retries());
        assertEquals(timeouts(Map.of(TimeoutKind.CONNECT, Duration.ofSeconds(4),
                TimeoutKind.SERVER, Duration.ofSeconds(6))), mailServers.timeouts());

        assertEquals("dns", config.frontend("dns").orElseThrow().defaultBackend());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    public void environmentVariablesAndQuoting() throws Exception {
        Map<String, String> env = Map.of(
                "THREADS", "2",
                "FRONTEND_NAME", "public",
                "LISTEN_ADDRESSES", ":80,[::]:80",
                "BACKEND_HOST", "10.0.0.9",
                "BACKEND_PORT", "8080",
                "SERVER_OPTIONS", "weight 5  backup");
        Configuration config = ConfigParser.parse(resource("environment.cfg"), env);

        assertEquals(2, config.global().nbthread());
        Frontend frontend = config.frontend("public").orElseThrow();
        assertEquals(List.of(wildcard(80), address("::", 80)), frontend.binds().get(0).addresses());
        assertEquals(List.of(address("127.0.0.1", 8082)), frontend.binds().get(1).addresses());
        assertEquals("servers", frontend.defaultBackend());
        Backend servers = config.backend("servers").orElseThrow();
        assertEquals(Duration.ofSeconds(5), servers.timeouts().get(TimeoutKind.CONNECT).orElseThrow());
        assertEquals(new Server("its-me", 17, address("10.0.0.9", 8080), 5, 0, false, true, null),
                servers.servers().get(0));
        assertEquals(new Server("literal", 18, address("10.0.0.9", 9000), 1, 0, false, false, "$PROTO"),
                servers.servers().get(1));
    }

    @Test
    public void theExampleGivenToUsersParsesWithoutWarnings() throws Exception {
        Configuration config = ConfigParser.parse(Path.of("../../examples/tcp-loadbalancer.cfg"));

        assertEquals(List.of(), config.warnings());
        assertEquals(4, config.global().nbthread());
        Frontend frontend = config.frontend("tcp-in").orElseThrow();
        assertEquals(Mode.TCP, frontend.mode());
        assertEquals(List.of(address("127.0.0.1", 8080)), frontend.binds().get(0).addresses());
        assertEquals("servers", frontend.defaultBackend());
        Backend backend = config.backend("servers").orElseThrow();
        assertEquals(BalanceAlgorithm.ROUNDROBIN, backend.balance().algorithm());
        assertEquals(List.of(address("127.0.0.1", 9001), address("127.0.0.1", 9002)),
                backend.servers().stream().map(Server::address).toList());
        assertEquals(Duration.ofSeconds(5), backend.timeouts().get(TimeoutKind.CONNECT).orElseThrow());
    }

    @Test
    public void builtInValuesWithoutDefaultsSection() throws Exception {
        Configuration config = ConfigParser.parse(Path.of("minimal.cfg"), """
                frontend f
                    bind :80
                    default_backend b
                backend b
                    server s 127.0.0.1:81
                """, Map.of(), InetAddress::getByName);

        assertEquals(new GlobalSettings(0, 0, GlobalSettings.DEFAULT_BUFSIZE), config.global());
        Frontend frontend = config.frontends().get(0);
        assertEquals(Mode.TCP, frontend.mode());
        assertEquals(0, frontend.maxconn());
        assertEquals(timeouts(Map.of()), frontend.timeouts());
        Backend backend = config.backends().get(0);
        assertEquals(BalanceAlgorithm.ROUNDROBIN, backend.balance().algorithm());
        assertEquals(3, backend.retries());
        assertFalse(backend.redispatch());
        assertNull(backend.servers().get(0).proto());
    }

    @Test
    public void somethingValidButSuspiciousIsAWarning() throws Exception {
        Configuration config = ConfigParser.parse(Path.of("warn.cfg"), """
                defaults
                    timeout client 5s
                frontend nowhere
                    bind :80
                backend b
                    timeout connect 5s
                    server s 127.0.0.1:81
                listen l
                    bind :81
                    timeout connect 5s
                    timeout server 5s
                    default_backend b
                    server s 127.0.0.1:82
                """, Map.of(), InetAddress::getByName);

        assertEquals(List.of(
                "warn.cfg:3: 'frontend': frontend 'nowhere' has no default_backend and no use_backend rule:"
                        + " its connections will be closed",
                "warn.cfg:5: 'backend': backend 'b' has no 'timeout server': connections to silent peers will never expire",
                "warn.cfg:12: 'default_backend': listen 'l' sends its traffic to backend 'b', its own servers will never be used"),
                config.warnings().stream().map(Diagnostic::toString).toList());
    }

    @Test
    public void tcpFrontendMayUseHttpBackendAsInHaproxy() throws Exception {
        Configuration config = ConfigParser.parse(Path.of("upgrade.cfg"), """
                defaults
                    timeout client 5s
                    timeout connect 5s
                    timeout server 5s
                frontend f
                    mode tcp
                    bind :80
                    default_backend b
                backend b
                    mode http
                    server s 127.0.0.1:81
                """, Map.of(), InetAddress::getByName);

        assertEquals(Mode.TCP, config.frontends().get(0).mode());
        assertEquals(Mode.HTTP, config.backends().get(0).mode());
    }
}
