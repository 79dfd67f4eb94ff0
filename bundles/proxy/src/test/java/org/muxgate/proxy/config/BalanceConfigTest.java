package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The load-balancing keywords: balance and its arguments, hash-type, allbackups, server limits. */
public class BalanceConfigTest {

    private static final Path FILE = Path.of("/etc/muxgate.cfg");

    private static Configuration parse(String text) throws ConfigException {
        return ConfigParser.parse(FILE, text, Map.of(), host -> {
            throw new UnknownHostException(host);
        });
    }

    private static Backend backend(String mode, String... lines) throws ConfigException {
        return parse("backend b\n    mode " + mode + "\n    " + String.join("\n    ", lines)
                + "\n    server s 10.0.0.1:80\n").backend("b").orElseThrow();
    }

    private static String errors(String config) {
        return assertThrows(ConfigException.class, () -> parse(config)).getMessage();
    }

    @Test
    public void balanceAlgorithmsWithTheirArguments() throws ConfigException {
        Balance uri = backend("http", "balance uri whole len 12 depth 3 path-only").balance();
        assertEquals(BalanceAlgorithm.URI, uri.algorithm());
        assertTrue(uri.uriWhole());
        assertTrue(uri.uriPathOnly());
        assertEquals(12, uri.uriLength());
        assertEquals(3, uri.uriDepth());
        Balance plainUri = backend("http", "balance uri").balance();
        assertFalse(plainUri.uriWhole());
        assertEquals(0, plainUri.uriLength());
        Balance header = backend("http", "balance hdr(X-Session)").balance();
        assertEquals(BalanceAlgorithm.HDR, header.algorithm());
        assertEquals("x-session", header.header());
        assertEquals(2, backend("http", "balance random").balance().draws());
        assertEquals(5, backend("tcp", "balance random(5)").balance().draws());
    }

    @Test
    public void hashTypeAndAllbackupsCombineWithBalanceInAnyOrderAndFromDefaults() throws ConfigException {
        Configuration config = parse("""
                defaults
                    mode http
                    hash-type consistent djb2 avalanche
                    option allbackups
                backend a
                    balance source
                    server s 10.0.0.1:80
                backend b
                    balance uri
                    hash-type map-based
                    no option allbackups
                    server s 10.0.0.1:80
                """);
        Balance a = config.backend("a").orElseThrow().balance();
        assertEquals(new HashType(true, HashFunction.DJB2, true), a.hashType());
        assertTrue(a.allBackups());
        assertEquals(BalanceAlgorithm.SOURCE, a.algorithm());
        Balance b = config.backend("b").orElseThrow().balance();
        assertEquals(new HashType(false, HashFunction.SDBM, false), b.hashType());
        assertFalse(b.allBackups());
        assertEquals(BalanceAlgorithm.URI, b.algorithm());
        assertEquals(new HashType(true, HashFunction.SDBM, false),
                backend("http", "hash-type consistent").balance().hashType());
    }

    @Test
    public void serverLimits() throws ConfigException {
        Server server = parse("""
                backend b
                    server s 10.0.0.1:80 maxconn 10 maxqueue 20 slowstart 30s check on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions
                    server t 10.0.0.2:80
                """).backend("b").orElseThrow().servers().get(0);
        assertEquals(new ServerLimits(20, Duration.ofSeconds(30), true, true), server.limits());
        assertEquals(ServerLimits.NONE, parse("backend b\n    server t 10.0.0.2:80\n").backend("b").orElseThrow()
                .servers().get(0).limits());
    }

    @Test
    public void aLayerSevenHashInModeTcpFallsBackToRoundRobinWithAWarning() throws ConfigException {
        Configuration config = parse("backend b\n    mode tcp\n    timeout connect 1s\n    timeout server 1s\n"
                + "    balance hdr(host)\n    server s 10.0.0.1:80\n");
        assertEquals(BalanceAlgorithm.ROUNDROBIN, config.backend("b").orElseThrow().balance().algorithm());
        assertEquals(List.of("/etc/muxgate.cfg:1: 'backend': backend 'b' is in mode tcp: 'balance hdr' needs mode"
                + " http; falling back to roundrobin"), config.warnings().stream().map(Diagnostic::toString).toList());
    }

    @Test
    public void badArgumentsAreErrorsWithTheirLine() {
        assertEquals(String.join("\n",
                "/etc/muxgate.cfg:3: 'balance': 'balance hdr' needs a header name: hdr(NAME)",
                "/etc/muxgate.cfg:4: 'balance': character '@' is not permitted in header name 'a@b'",
                "/etc/muxgate.cfg:5: 'balance': invalid number of draws 'x' in 'random(DRAWS)'"
                        + " (expected a positive integer)",
                "/etc/muxgate.cfg:6: 'balance': unknown 'balance uri' option 'deep' (expected whole, len, depth,"
                        + " path-only)",
                "/etc/muxgate.cfg:7: 'balance': invalid len '0' (expected an integer between 1 and 2147483647)",
                "/etc/muxgate.cfg:8: 'balance': balance algorithm 'source' takes no argument in parentheses",
                "/etc/muxgate.cfg:9: 'balance': missing ')' in balance algorithm 'random(2'",
                "/etc/muxgate.cfg:10: 'hash-type': unknown hash method 'ring' (expected map-based, consistent)",
                "/etc/muxgate.cfg:11: 'hash-type': unknown hash function 'wt6' (expected sdbm, djb2)",
                "/etc/muxgate.cfg:12: 'hash-type': unknown hash modifier 'fast' (expected avalanche)",
                "/etc/muxgate.cfg:13: 'server': unknown on-marked-down action 'stop' (expected shutdown-sessions)",
                "/etc/muxgate.cfg:14: 'server': unknown on-marked-up action 'shutdown-sessions'"
                        + " (expected shutdown-backup-sessions)",
                "/etc/muxgate.cfg:15: 'server': invalid maxqueue '-1' (expected an integer between 0 and 2147483647)"),
                errors("""
                        backend b
                            mode http
                            balance hdr
                            balance hdr(a@b)
                            balance random(x)
                            balance uri deep
                            balance uri len 0
                            balance source(1)
                            balance random(2
                            hash-type ring
                            hash-type consistent wt6
                            hash-type consistent sdbm fast
                            server s1 10.0.0.1:80 on-marked-down stop
                            server s2 10.0.0.1:80 on-marked-up shutdown-sessions
                            server s3 10.0.0.1:80 maxqueue -1
                        """));
    }
}
