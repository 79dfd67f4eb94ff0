package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** Each error is reported with its file and line, and all of a file's errors at once. */
public class ConfigErrorsTest {

    private static final Path FILE = Path.of("/etc/muxgate.cfg");

    /** The message of the exception, which is what the launcher prints. */
    private static String errors(String config) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(FILE, config, Map.of(), host -> {
                    throw new UnknownHostException(host);
                }));
        return e.getMessage();
    }

    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    @Test
    public void unknownTimeoutListsTheKnownOnes() {
        assertEquals("/etc/muxgate.cfg:3: 'timeout': unknown timeout 'clent'"
                + " (expected connect, client, server, tunnel, client-fin, server-fin, queue, check, http-request, http-keep-alive)", errors("""
                defaults
                    timeout client 30s
                    timeout clent 30s
                """));
    }

    @Test
    public void unsupportedSectionIsOneErrorAndItsLinesAreSkipped() {
        assertEquals(lines(
                "/etc/muxgate.cfg:3: 'peers': section not supported yet",
                "/etc/muxgate.cfg:7: 'foo': unknown keyword in a backend section"), errors("""
                global
                    nbthread 2
                peers mypeers
                    peer a 127.0.0.1:1024
                    peer b 127.0.0.1:1025
                backend b
                    foo
                """));
    }

    @Test
    public void keywordBeforeAnySection() {
        assertEquals("/etc/muxgate.cfg:2: 'maxconn': keyword outside any section"
                + " (a global, defaults, frontend, backend or listen section must come first)", errors("""
                # comment
                maxconn 100
                global
                """));
    }

    @Test
    public void unsupportedKeywordsAreErrorsNotIgnored() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'daemon': unknown keyword in a global section",
                "/etc/muxgate.cfg:3: 'log': unknown keyword in a global section",
                "/etc/muxgate.cfg:5: 'option': unknown option 'dontlognull' (expected redispatch, allbackups, httpchk, forwardfor,"
                        + " httplog, http-keep-alive, http-server-close, httpclose)"), errors("""
                global
                    daemon
                    log 127.0.0.1 local0
                defaults
                    option dontlognull
                """));
    }

    @Test
    public void keywordsOnlyWhereHaproxyAllowsThem() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'bind': not allowed in a global section (only in frontend, listen)",
                "/etc/muxgate.cfg:4: 'bind': not allowed in a defaults section (only in frontend, listen)",
                "/etc/muxgate.cfg:5: 'server': not allowed in a defaults section (only in backend, listen)",
                "/etc/muxgate.cfg:6: 'use_backend': not allowed in a defaults section (only in frontend, listen)",
                "/etc/muxgate.cfg:10: 'nbthread': not allowed in a frontend section (only in global)",
                "/etc/muxgate.cfg:11: 'balance': not allowed in a frontend section (only in defaults, backend, listen)",
                "/etc/muxgate.cfg:12: 'retries': not allowed in a frontend section (only in defaults, backend, listen)",
                "/etc/muxgate.cfg:13: 'server': not allowed in a frontend section (only in backend, listen)",
                "/etc/muxgate.cfg:14: 'option': 'redispatch' not allowed in a frontend section"
                        + " (only in defaults, backend, listen)",
                "/etc/muxgate.cfg:15: 'timeout': 'timeout server' not allowed in a frontend section"
                        + " (only in defaults, backend, listen)",
                "/etc/muxgate.cfg:18: 'maxconn': not allowed in a backend section (only in defaults, frontend, listen)",
                "/etc/muxgate.cfg:19: 'default_backend': not allowed in a backend section"
                        + " (only in defaults, frontend, listen)",
                "/etc/muxgate.cfg:20: 'use_backend': not allowed in a backend section (only in frontend, listen)",
                "/etc/muxgate.cfg:21: 'timeout': 'timeout client' not allowed in a backend section"
                        + " (only in defaults, frontend, listen)",
                "/etc/muxgate.cfg:22: 'tune.bufsize': not allowed in a backend section (only in global)"), errors("""
                global
                    bind :80
                defaults
                    bind :80
                    server s 10.0.0.1:80
                    use_backend b
                frontend f
                    bind :80
                    default_backend b
                    nbthread 2
                    balance roundrobin
                    retries 3
                    server s 10.0.0.1:80
                    option redispatch
                    timeout server 5s
                backend b
                    server s 10.0.0.1:80
                    maxconn 10
                    default_backend c
                    use_backend c
                    timeout client 5s
                    tune.bufsize 2048
                """));
    }

    @Test
    public void missingOrBadArguments() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'nbthread': invalid thread count '0' (expected an integer between 1 and 64)",
                "/etc/muxgate.cfg:3: 'nbthread': invalid thread count '65' (expected an integer between 1 and 64)",
                "/etc/muxgate.cfg:4: 'maxconn': invalid maxconn 'lots' (expected an integer between 0 and 2147483647)",
                "/etc/muxgate.cfg:5: 'tune.bufsize': invalid buffer size '512'"
                        + " (expected an integer between 1024 and 1048576)",
                "/etc/muxgate.cfg:6: 'nbthread': missing thread count",
                "/etc/muxgate.cfg:7: 'nbthread': unexpected argument '8'",
                "/etc/muxgate.cfg:9: 'mode': missing mode",
                "/etc/muxgate.cfg:10: 'mode': unknown mode 'health' (expected tcp, http)",
                "/etc/muxgate.cfg:11: 'mode': unexpected argument 'http'",
                "/etc/muxgate.cfg:12: 'balance': unknown balance algorithm 'url_param'"
                        + " (expected roundrobin, static-rr, leastconn, first, source, uri, hdr, random)",
                "/etc/muxgate.cfg:13: 'retries': invalid retry count '-1' (expected an integer between 0 and 2147483647)",
                "/etc/muxgate.cfg:14: 'timeout': missing timeout name",
                "/etc/muxgate.cfg:15: 'timeout': missing time for 'timeout connect'",
                "/etc/muxgate.cfg:16: 'timeout': unexpected argument 's'",
                "/etc/muxgate.cfg:17: 'option': missing option name",
                "/etc/muxgate.cfg:18: 'option': unexpected argument '1'",
                "/etc/muxgate.cfg:19: 'retries': cannot be negated with 'no'",
                "/etc/muxgate.cfg:20: 'no': missing keyword",
                "/etc/muxgate.cfg:22: 'server': missing server name",
                "/etc/muxgate.cfg:23: 'server': missing address",
                "/etc/muxgate.cfg:24: 'server': invalid weight '257' (expected an integer between 0 and 256)",
                "/etc/muxgate.cfg:25: 'server': missing weight",
                "/etc/muxgate.cfg:26: 'server': unknown server option 'send-proxy'"
                        + " (expected weight, maxconn, maxqueue, slowstart, on-marked-down, on-marked-up, disabled, backup, proto, pool-max-conn, pool-purge-delay, pool-low-conn,"
                        + " check, inter, fastinter, downinter, rise, fall, port, addr, observe, error-limit, on-error, ssl,"
                        + " check-ssl, verify, ca-file, sni, alpn)",
                "/etc/muxgate.cfg:27: 'server': missing protocol name",
                "/etc/muxgate.cfg:28: 'server': character '/' is not permitted in server name 's/5'",
                "/etc/muxgate.cfg:29: 'server': argument 1 is empty (an unset environment variable?)",
                "/etc/muxgate.cfg:32: 'bind': missing address",
                "/etc/muxgate.cfg:33: 'bind': unknown bind option 'accept-proxy'"
                        + " (expected proto, ssl, crt, alpn, ssl-min-ver, ciphers, ciphersuites)",
                "/etc/muxgate.cfg:34: 'bind': empty address in ':81,,:82'",
                "/etc/muxgate.cfg:35: 'maxconn': invalid maxconn '-5' (expected an integer between 0 and 2147483647)",
                "/etc/muxgate.cfg:36: 'default_backend': missing backend name",
                "/etc/muxgate.cfg:37: 'use_backend': missing backend name",
                "/etc/muxgate.cfg:38: 'use_backend': unexpected argument 'extra'"
                        + " (expected 'if' or 'unless')"), errors("""
                global
                    nbthread 0
                    nbthread 65
                    maxconn lots
                    tune.bufsize 512
                    nbthread
                    nbthread 4 8
                defaults
                    mode
                    mode health
                    mode tcp http
                    balance url_param
                    retries -1
                    timeout
                    timeout connect
                    timeout connect 5 s
                    option
                    option redispatch 1
                    no retries 3
                    no
                backend b
                    server
                    server s1
                    server s1 10.0.0.1:80 weight 257
                    server s2 10.0.0.1:80 weight
                    server s3 10.0.0.1:80 send-proxy
                    server s4 10.0.0.1:80 proto
                    server s/5 10.0.0.1:80
                    server "" 10.0.0.1:80
                frontend f
                    bind :80
                    bind
                    bind :443 accept-proxy
                    bind :81,,:82
                    maxconn -5
                    default_backend
                    use_backend
                    use_backend b extra
                    default_backend b
                """));
    }

    @Test
    public void badAddressesPortsAndTimes() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'timeout': invalid time '10sec' for 'timeout connect'"
                        + " (expected a number with an optional unit: us, ms, s, m, h, d)",
                "/etc/muxgate.cfg:3: 'timeout': time overflow in '30d' for 'timeout server'"
                        + " (maximum value is 2147483647 ms or ~24.8 days)",
                "/etc/muxgate.cfg:5: 'bind': missing port in '127.0.0.1'",
                "/etc/muxgate.cfg:6: 'bind': port ranges are not supported (':8000-8010')",
                "/etc/muxgate.cfg:7: 'bind': invalid port '70000' (expected an integer between 1 and 65535)",
                "/etc/muxgate.cfg:8: 'bind': invalid address '256.0.0.1' in '256.0.0.1:80'",
                "/etc/muxgate.cfg:9: 'bind': unsupported address '/var/run/muxgate.sock'"
                        + " (only IPv4 and IPv6 are supported yet)",
                "/etc/muxgate.cfg:13: 'server': a wildcard address cannot be connected to ('*:80')",
                "/etc/muxgate.cfg:14: 'server': cannot resolve 'db.example.com' in 'db.example.com:5432'",
                "/etc/muxgate.cfg:15: 'server': missing port in '10.0.0.1'"), errors("""
                defaults
                    timeout connect 10sec
                    timeout server 30d
                frontend f
                    bind 127.0.0.1
                    bind :8000-8010
                    bind 127.0.0.1:70000
                    bind 256.0.0.1:80
                    bind /var/run/muxgate.sock
                    bind :80
                    default_backend b
                backend b
                    server s1 *:80
                    server s2 db.example.com:5432
                    server s3 10.0.0.1
                """));
    }

    @Test
    public void duplicateProxyNamesFollowHaproxysRules() {
        assertEquals(lines(
                "/etc/muxgate.cfg:3: 'backend': backend 'app' has the same name as backend 'app' declared at line 1",
                "/etc/muxgate.cfg:8: 'frontend': frontend 'web' has the same name as frontend 'web' declared at line 5",
                "/etc/muxgate.cfg:11: 'listen': listen 'app' has the same name as backend 'app' declared at line 1",
                "/etc/muxgate.cfg:13: 'listen': listen 'web' has the same name as frontend 'web' declared at line 5"),
                errors("""
                backend app
                    server s 10.0.0.1:80
                backend app
                    server s 10.0.0.1:80
                frontend web
                    bind :80
                    default_backend app
                frontend web
                    bind :81
                    default_backend app
                listen app
                    bind :82
                listen web
                    bind :83
                """));
    }

    @Test
    public void duplicateServerName() {
        assertEquals("/etc/muxgate.cfg:3: 'server': duplicate server name 's1' in backend 'app'"
                + " (first declared at line 2)", errors("""
                backend app
                    server s1 10.0.0.1:80
                    server s1 10.0.0.2:80
                """));
    }

    @Test
    public void referencesToUndefinedBackends() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'default_backend': frontend 'a' uses undefined backend 'missing'",
                "/etc/muxgate.cfg:7: 'default_backend': frontend 'b' uses undefined backend 'ap'",
                "/etc/muxgate.cfg:8: 'use_backend': frontend 'b' uses undefined backend 'nowhere'",
                "/etc/muxgate.cfg:9: 'use_backend': frontend 'b' uses undefined backend 'a'"), errors("""
                defaults
                    default_backend missing
                frontend a
                    bind :80
                frontend b
                    bind :81
                    default_backend ap
                    use_backend nowhere
                    use_backend a
                backend app
                    server s 10.0.0.1:80
                """));
    }

    @Test
    public void listenCannotBeItsOwnDefaultBackend() {
        assertEquals("/etc/muxgate.cfg:3: 'default_backend': listen 'l' uses itself as default backend (loop)",
                errors("""
                listen l
                    bind :80
                    default_backend l
                    server s 10.0.0.1:80
                """));
    }

    @Test
    public void frontendWithoutBind() {
        assertEquals(lines(
                "/etc/muxgate.cfg:1: 'frontend': frontend 'f' has no 'bind' line",
                "/etc/muxgate.cfg:3: 'listen': listen 'l' has no 'bind' line"), errors("""
                frontend f
                    default_backend l
                listen l
                    server s 10.0.0.1:80
                """));
    }

    @Test
    public void httpFrontendCannotUseTcpBackend() {
        assertEquals(lines(
                "/etc/muxgate.cfg:5: 'default_backend': http frontend 'web' cannot use tcp backend 'tcp-servers'"
                        + " declared at line 8 (mode mismatch)",
                "/etc/muxgate.cfg:6: 'use_backend': http frontend 'web' cannot use tcp backend 'tcp-servers'"
                        + " declared at line 8 (mode mismatch)"), errors("""
                defaults
                    mode http
                frontend web
                    bind :80
                    default_backend tcp-servers
                    use_backend tcp-servers
                    use_backend http-servers
                backend tcp-servers
                    mode tcp
                    server s 10.0.0.1:80
                backend http-servers
                    server s 10.0.0.1:80
                """));
    }

    @Test
    public void useBackendConditionsNeedDeclaredAclsAndExistingBackends() {
        assertEquals(lines(
                "/etc/muxgate.cfg:3: 'use_backend': frontend 'f' uses undefined backend 'api'",
                "/etc/muxgate.cfg:4: 'use_backend': unknown ACL 'is_api'"
                        + " (an ACL must be declared in the section before the rules using it)"), errors("""
                frontend f
                    bind :80
                    use_backend api if { path_beg /api }
                    use_backend web unless is_api
                    acl is_api path_beg /api
                    default_backend web
                backend web
                    server s 10.0.0.1:80
                """));
    }

    @Test
    public void badSectionHeadersStillCheckTheirLines() {
        assertEquals(lines(
                "/etc/muxgate.cfg:1: 'frontend': missing name",
                "/etc/muxgate.cfg:2: 'bind': missing port in '80'",
                "/etc/muxgate.cfg:3: 'backend': character '/' is not permitted in backend name 'a/b'",
                "/etc/muxgate.cfg:5: 'frontend': unexpected argument '0.0.0.0:80' (addresses go on 'bind' lines)",
                "/etc/muxgate.cfg:8: 'backend': 'from' (inheriting a named defaults section) is not supported yet",
                "/etc/muxgate.cfg:10: 'defaults': unexpected argument 'defaults'",
                "/etc/muxgate.cfg:11: 'global': unexpected argument 'extra'"), errors("""
                frontend
                    bind 80
                backend a/b
                    server s 10.0.0.1:80
                frontend web 0.0.0.0:80
                    bind :80
                    default_backend a/b
                backend app from base
                    server s 10.0.0.1:80
                defaults my defaults
                global extra
                """));
    }

    @Test
    public void tokenizerErrorsGiveThePositionInTheLine() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: unmatched quote at position 15",
                "/etc/muxgate.cfg:3: empty keyword (an unset environment variable?)"), errors("""
                backend b
                    server s1 "10.0.0.1:80
                    "" 10
                """));
    }

    @Test
    public void badHealthCheckSettings() {
        assertEquals(lines(
                "/etc/muxgate.cfg:3: 'http-check': 'http-check expect' needs 'option httpchk' before it",
                "/etc/muxgate.cfg:5: 'http-check': unsupported http-check expect criterion 'header'"
                        + " (expected status, rstatus or string)",
                "/etc/muxgate.cfg:6: 'http-check': invalid status code 'abc' (expected an integer between 100 and 999)",
                "/etc/muxgate.cfg:7: 'http-check': invalid regular expression '(': Unclosed group",
                "/etc/muxgate.cfg:8: 'http-check': unsupported http-check action 'send' (only 'expect' is supported)",
                "/etc/muxgate.cfg:9: 'option': unsupported httpchk version 'HTTP/2' (expected HTTP/1.0 or HTTP/1.1)",
                "/etc/muxgate.cfg:10: 'server': 'inter' must be greater than 0",
                "/etc/muxgate.cfg:11: 'server': unknown on-error action 'reboot'"
                        + " (expected fastinter, fail-check, sudden-death, mark-down)",
                "/etc/muxgate.cfg:12: 'server': 'observe' needs 'check' on server 's4':"
                        + " errors are acted on through its health checks",
                "/etc/muxgate.cfg:13: 'server': invalid fall '0' (expected an integer between 1 and 2147483647)",
                "/etc/muxgate.cfg:14: 'server': invalid check address 'x.y' (expected an IPv4 or IPv6 address)"), errors("""
                backend b
                    mode http
                    http-check expect status 200
                    option httpchk GET /health
                    http-check expect header x
                    http-check expect status abc
                    http-check expect rstatus (
                    http-check send hdr Host x
                    option httpchk GET / HTTP/2
                    server s1 10.0.0.1:80 check inter 0
                    server s3 10.0.0.1:80 check on-error reboot
                    server s4 10.0.0.1:80 observe layer7
                    server s5 10.0.0.1:80 check fall 0
                    server s6 10.0.0.1:80 check addr x.y
                """));
    }

    @Test
    public void severalErrorsOfAFileAreReportedAtOnce() throws Exception {
        Path file = Path.of(ConfigErrorsTest.class.getResource("several-errors.cfg").toURI());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(file, Map.of()));

        List<String> expected = List.of(
                file + ":3: 'nbthread': invalid thread count '65' (expected an integer between 1 and 64)",
                file + ":4: 'daemon': unknown keyword in a global section",
                file + ":11: 'timeout': unknown timeout 'clent'"
                        + " (expected connect, client, server, tunnel, client-fin, server-fin, queue, check, http-request, http-keep-alive)",
                file + ":15: 'bind': invalid port '99999' (expected an integer between 1 and 65535)",
                file + ":16: 'server': not allowed in a frontend section (only in backend, listen)",
                file + ":17: 'use_backend': frontend 'web' uses undefined backend 'api'",
                file + ":18: 'default_backend': frontend 'web' uses undefined backend 'ap'",
                file + ":21: 'balance': unknown balance algorithm 'url_param'"
                        + " (expected roundrobin, static-rr, leastconn, first, source, uri, hdr, random)",
                file + ":23: 'server': invalid weight '300' (expected an integer between 0 and 256)",
                file + ":24: 'server': duplicate server name 's1' in backend 'app' (first declared at line 22)",
                file + ":26: 'backend': backend 'app' has the same name as backend 'app' declared at line 20",
                file + ":27: unmatched quote at position 15");
        assertEquals(String.join("\n", expected), e.getMessage());
        assertEquals(expected, e.errors().stream().map(Diagnostic::toString).toList());
        assertEquals(new Diagnostic(file.toString(), 3,
                "'nbthread': invalid thread count '65' (expected an integer between 1 and 64)"), e.errors().get(0));
    }

    @Test
    public void unreadableFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(Path.of("does-not-exist.cfg")));
        assertEquals("does-not-exist.cfg: cannot read the file: no such file", e.getMessage());
        assertEquals(List.of(new Diagnostic("does-not-exist.cfg", 0, "cannot read the file: no such file")), e.errors());
    }
}
