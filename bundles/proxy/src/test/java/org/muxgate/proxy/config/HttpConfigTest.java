package org.muxgate.proxy.config;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.muxgate.proxy.rules.Condition;
import org.muxgate.proxy.rules.ErrorPages;
import org.muxgate.proxy.rules.HttpAction;
import org.muxgate.proxy.rules.HttpRule;
import org.muxgate.proxy.rules.Network;
import org.muxgate.proxy.rules.TestSample;

/** The keywords of mode http, and the model they give. */
public class HttpConfigTest {

    private static final Path FILE = Path.of("/etc/muxgate.cfg");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static Configuration parse(Path file, String text) throws ConfigException {
        return ConfigParser.parse(file, text, Map.of(), host -> {
            throw new UnknownHostException(host);
        });
    }

    private static Configuration parse(String text) throws ConfigException {
        return parse(FILE, text);
    }

    /** A frontend named f in mode http with these lines, and a backend b. */
    private static Frontend frontend(String... lines) throws ConfigException {
        return parse("frontend f\n    mode http\n    bind :80\n    default_backend b\n    "
                + String.join("\n    ", lines) + "\nbackend b\n    mode http\n    server s 10.0.0.1:80\n")
                .frontend("f").orElseThrow();
    }

    private static Network network(String address, int prefix) throws UnknownHostException {
        return new Network(InetAddress.getByName(address), prefix);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    public void defaultsOfHttpSettings() throws Exception {
        Configuration config = parse("""
                frontend f
                    bind :80
                    default_backend b
                backend b
                    server s 10.0.0.1:80
                """);
        HttpSettings http = config.frontend("f").orElseThrow().http();
        assertEquals(HttpConnectionMode.KEEP_ALIVE, http.connectionMode());
        assertNull(http.forwardFor());
        assertFalse(http.httplog());
        assertFalse(http.httplogClf());
        assertEquals(List.of(), http.requestRules());
        assertEquals(List.of(), http.responseRules());
        assertArrayEquals(ErrorPages.defaults().page(503), http.errorPages().page(503));
        assertEquals(GlobalSettings.DEFAULT_MAXHDR, config.global().maxhdr());
    }

    @Test
    public void globalMaxhdr() throws Exception {
        Configuration config = parse("global\n    tune.http.maxhdr 250\n");
        assertEquals(new GlobalSettings(0, 0, GlobalSettings.DEFAULT_BUFSIZE, 250), config.global());
    }

    @Test
    public void globalH2InitialWindowSize() throws Exception {
        assertEquals(GlobalSettings.DEFAULT_H2_WINDOW, parse("global\n    nbthread 1\n").global().h2InitialWindow());
        assertEquals(1 << 20, parse("global\n    tune.h2.initial-window-size 1048576\n").global().h2InitialWindow());
    }

    @Test
    public void forwardforWithEveryOptionAndInheritance() throws Exception {
        Configuration config = parse("""
                defaults
                    mode http
                    option forwardfor except 127.0.0.0/8 header X-Client if-none
                frontend f
                    bind :80
                    default_backend b
                frontend g
                    bind :81
                    default_backend b
                    no option forwardfor
                backend b
                    option forwardfor
                    server s 10.0.0.1:80
                backend c
                    option forwardfor if-none except 2001:db8::/32
                    server s 10.0.0.1:80
                """);
        assertEquals(new ForwardFor(network("127.0.0.0", 8), "x-client", true),
                config.frontend("f").orElseThrow().http().forwardFor());
        assertNull(config.frontend("g").orElseThrow().http().forwardFor());
        assertEquals(new ForwardFor(null, "x-forwarded-for", false), config.backend("b").orElseThrow().http().forwardFor());
        assertEquals(new ForwardFor(network("2001:db8::", 32), "x-forwarded-for", true),
                config.backend("c").orElseThrow().http().forwardFor());
    }

    @Test
    public void httplog() throws Exception {
        assertTrue(frontend("option httplog").http().httplog());
        assertFalse(frontend("option httplog").http().httplogClf());
        assertTrue(frontend("option httplog clf").http().httplogClf());
        assertFalse(frontend("option httplog clf", "no option httplog").http().httplog());
        Configuration config = parse("""
                defaults
                    mode http
                    option httplog
                listen l
                    bind :80
                    server s 10.0.0.1:80
                """);
        assertTrue(config.frontend("l").orElseThrow().http().httplog());
        assertFalse(config.backend("l").orElseThrow().http().httplog());
    }

    @Test
    public void connectionModeLastOneWins() throws Exception {
        assertEquals(HttpConnectionMode.CLOSE, frontend("option httpclose").http().connectionMode());
        assertEquals(HttpConnectionMode.SERVER_CLOSE, frontend("option http-server-close").http().connectionMode());
        assertEquals(HttpConnectionMode.KEEP_ALIVE,
                frontend("option httpclose", "option http-keep-alive").http().connectionMode());
        assertEquals(HttpConnectionMode.SERVER_CLOSE,
                frontend("option httpclose", "option http-server-close").http().connectionMode());
        assertEquals(HttpConnectionMode.KEEP_ALIVE,
                frontend("option httpclose", "no option httpclose").http().connectionMode());
        // "no" on a mode not in effect changes nothing.
        assertEquals(HttpConnectionMode.CLOSE,
                frontend("option httpclose", "no option http-server-close").http().connectionMode());
    }

    @Test
    public void stricterConnectionMode() {
        assertEquals(HttpConnectionMode.CLOSE,
                HttpConnectionMode.stricter(HttpConnectionMode.KEEP_ALIVE, HttpConnectionMode.CLOSE));
        assertEquals(HttpConnectionMode.CLOSE,
                HttpConnectionMode.stricter(HttpConnectionMode.CLOSE, HttpConnectionMode.SERVER_CLOSE));
        assertEquals(HttpConnectionMode.SERVER_CLOSE,
                HttpConnectionMode.stricter(HttpConnectionMode.KEEP_ALIVE, HttpConnectionMode.SERVER_CLOSE));
        assertEquals(HttpConnectionMode.KEEP_ALIVE,
                HttpConnectionMode.stricter(HttpConnectionMode.KEEP_ALIVE, HttpConnectionMode.KEEP_ALIVE));
    }

    @Test
    public void httpTimeoutsOnBothSides() throws Exception {
        Configuration config = parse("""
                defaults
                    timeout http-request 5s
                    timeout http-keep-alive 2s
                frontend f
                    bind :80
                    default_backend b
                backend b
                    timeout http-request 7s
                    server s 10.0.0.1:80
                """);
        Timeouts frontend = config.frontend("f").orElseThrow().timeouts();
        assertEquals(Duration.ofSeconds(5), frontend.get(TimeoutKind.HTTP_REQUEST).orElseThrow());
        assertEquals(Duration.ofSeconds(2), frontend.get(TimeoutKind.HTTP_KEEP_ALIVE).orElseThrow());
        assertEquals(Duration.ofSeconds(7), config.backend("b").orElseThrow().timeouts()
                .get(TimeoutKind.HTTP_REQUEST).orElseThrow());
    }

    @Test
    public void errorfilesRelativeToTheConfigurationAndInherited() throws Exception {
        Path dir = folder.getRoot().toPath();
        Files.createDirectories(dir.resolve("errors"));
        byte[] page503 = "HTTP/1.1 503 Busy\r\ncontent-type: text/plain\r\n\r\ntry later\n".getBytes(StandardCharsets.US_ASCII);
        byte[] page404 = "HTTP/1.0 404\nx: y\n\nnot here".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("errors/503.http"), page503);
        Path absolute = Files.write(dir.resolve("404.http"), page404);
        Configuration config = parse(dir.resolve("muxgate.cfg"), """
                defaults
                    errorfile 503 errors/503.http
                frontend f
                    bind :80
                    default_backend b
                    errorfile 404 %s
                backend b
                    server s 10.0.0.1:80
                """.formatted(absolute));
        ErrorPages frontend = config.frontend("f").orElseThrow().http().errorPages();
        assertArrayEquals(page503, frontend.page(503));
        assertArrayEquals(page404, frontend.page(404));
        assertTrue(frontend.hasErrorfile(404));
        ErrorPages backend = config.backend("b").orElseThrow().http().errorPages();
        assertArrayEquals(page503, backend.page(503));
        assertFalse(backend.hasErrorfile(404));
        assertArrayEquals(ErrorPages.defaults().page(404), backend.page(404));
    }

    @Test
    public void useBackendWithConditions() throws Exception {
        Configuration config = parse("""
                frontend f
                    mode http
                    bind :80
                    acl is_api path_beg /api
                    acl is_api hdr(host) -i api.example.com
                    use_backend api if is_api METH_GET
                    use_backend web unless { path_end .php } || !is_api
                    use_backend api
                    default_backend web
                backend web
                    mode http
                    server s 10.0.0.1:80
                backend api
                    mode http
                    server s 10.0.0.2:80
                """);
        List<BackendRule> rules = config.frontend("f").orElseThrow().useBackends();
        assertEquals(3, rules.size());
        assertEquals("api", rules.get(0).backend());
        assertEquals(6, rules.get(0).line());
        Condition apiGet = rules.get(0).condition();
        assertEquals("if is_api METH_GET", apiGet.toString());
        assertTrue(apiGet.evaluate(new TestSample("GET", "/api/x")));
        assertTrue(apiGet.evaluate(new TestSample("HEAD", "/").header("Host", "API.example.com")));
        assertFalse(apiGet.evaluate(new TestSample("POST", "/api/x")));
        assertFalse(apiGet.evaluate(new TestSample("GET", "/web")));

        Condition web = rules.get(1).condition();
        assertEquals("unless { path_end .php } || !is_api", web.toString());
        assertFalse(web.evaluate(new TestSample("GET", "/index.php")));
        assertFalse(web.evaluate(new TestSample("GET", "/index.html")));
        assertTrue(web.evaluate(new TestSample("GET", "/api/index.html")));
        assertNull(rules.get(2).condition());
    }

    @Test
    public void conditionSyntax() throws Exception {
        Frontend frontend = frontend(
                "acl a path /a",
                "acl b method POST",
                "http-request deny if a b or !a !b",
                "http-request deny if ! a ! { method -m str POST }",
                "http-request deny if !!a OR TRUE FALSE",
                "http-request deny if { src 10.0.0.0/8 192.168.0.0/16 ::1 } LOCALHOST || { src 10.0.0.1 }");
        List<HttpRule> rules = frontend.http().requestRules();
        Condition xnor = rules.get(0).condition();
        assertTrue(xnor.evaluate(new TestSample("POST", "/a")));
        assertTrue(xnor.evaluate(new TestSample("GET", "/b")));
        assertFalse(xnor.evaluate(new TestSample("GET", "/a")));
        assertFalse(xnor.evaluate(new TestSample("POST", "/b")));

        Condition neither = rules.get(1).condition();
        assertTrue(neither.evaluate(new TestSample("GET", "/b")));
        assertFalse(neither.evaluate(new TestSample("POST", "/b")));
        assertFalse(neither.evaluate(new TestSample("GET", "/a")));

        Condition doubleNegation = rules.get(2).condition();
        assertTrue(doubleNegation.evaluate(new TestSample("GET", "/a")));
        assertFalse(doubleNegation.evaluate(new TestSample("GET", "/b")));

        Condition sources = rules.get(3).condition();
        assertFalse(sources.evaluate(new TestSample("GET", "/").from("10.0.0.2")));
        assertTrue(sources.evaluate(new TestSample("GET", "/").from("10.0.0.1")));
        assertTrue(sources.evaluate(new TestSample("GET", "/").from("::1")));
        assertFalse(sources.evaluate(new TestSample("GET", "/").from("192.168.1.1")));
    }

    @Test
    public void aclFlagsAndCriteria() throws Exception {
        Frontend frontend = frontend(
                "acl host_exact hdr(Host) example.com",
                "acl host_ci hdr(host) -i EXAMPLE.com",
                "acl host_dom hdr_dom(host) example.com",
                "acl host_beg hdr_beg(host) www.",
                "acl host_end hdr_end(host) .org",
                "acl host_sub hdr_sub(host) mple.c",
                "acl has_auth hdr(authorization) -m found",
                "acl dashes path -- -x -y",
                "acl sub_override path_beg -m sub admin",
                "acl ci_path path_end -i .JPG",
                "acl path_exact path /",
                "acl dom_path path -m dom -i API",
                "acl put method PUT",
                "http-request allow if host_exact",
                "http-request allow if host_ci",
                "http-request allow if host_dom",
                "http-request allow if host_beg",
                "http-request allow if host_end",
                "http-request allow if host_sub",
                "http-request allow if has_auth",
                "http-request allow if dashes",
                "http-request allow if sub_override",
                "http-request allow if ci_path",
                "http-request allow if path_exact",
                "http-request allow if dom_path",
                "http-request allow if put");
        List<HttpRule> rules = frontend.http().requestRules();
        TestSample www = new TestSample("GET", "/x/admin/photo.jpg").header("host", "www.example.com");
        TestSample bare = new TestSample("put", "-x").header("HOST", "Example.COM").header("Authorization", "");
        TestSample org = new TestSample("PUT", "/").header("Host", "example.org, example.com");
        TestSample api = new TestSample("GET", "/v1/api/x").header("Host", "examplexcom");
        boolean[][] expected = {
            // www, bare, org, api
            {false, false, true, false},  // host_exact: one of the comma-separated values
            {false, true, true, false},   // host_ci
            {true, false, true, false},   // host_dom
            {true, false, false, false},  // host_beg
            {false, false, true, false},  // host_end
            {true, false, true, false},   // host_sub: case-sensitive
            {false, true, false, false},  // has_auth: present, even empty
            {false, true, false, false},  // dashes: "-x" is a value after "--"
            {true, false, false, false},  // sub_override
            {true, false, false, false},  // ci_path
            {false, false, true, false},  // path_exact
            {false, false, false, true},  // dom_path
            {false, false, true, false},  // put: methods are case-sensitive
        };
        TestSample[] samples = {www, bare, org, api};
        for (int rule = 0; rule < expected.length; rule++) {
            for (int sample = 0; sample < samples.length; sample++) {
                assertEquals("rule " + rules.get(rule).condition() + ", sample " + sample, expected[rule][sample],
                        rules.get(rule).applies(samples[sample]));
            }
        }
    }

    @Test
    public void httpRequestActions() throws Exception {
        Path body = Files.write(folder.getRoot().toPath().resolve("maintenance.html"),
                "<p>back soon</p>".getBytes(StandardCharsets.US_ASCII));
        Frontend frontend = frontend(
                "acl admin path_beg /admin",
                "http-request allow if { src 10.0.0.0/8 }",
                "http-request deny if admin",
                "http-request deny deny_status 429 unless admin",
                "http-request return",
                "http-request return status 503 content-type text/html file " + body,
                "http-request return content-type \"text/plain; charset=utf-8\" string \"hello world\" status 201",
                "http-request set-header X-Forwarded-Proto https",
                "http-request add-header X-Rate \"100%% sure\" if admin",
                "http-request del-header Proxy",
                "http-request redirect location https://example.com/",
                "http-request redirect prefix /v2 code 301 if admin",
                "http-request redirect scheme https code 308");
        List<HttpRule> rules = frontend.http().requestRules();
        assertEquals(12, rules.size());
        assertEquals(6, rules.get(0).line());
        assertEquals(new HttpAction.Allow(), rules.get(0).action());
        assertEquals("if { src 10.0.0.0/8 }", rules.get(0).condition().toString());
        assertEquals(new HttpAction.Deny(403), rules.get(1).action());
        assertEquals("if admin", rules.get(1).condition().toString());
        assertEquals(new HttpAction.Deny(429), rules.get(2).action());
        assertEquals("unless admin", rules.get(2).condition().toString());

        HttpAction.Return empty = (HttpAction.Return) rules.get(3).action();
        assertEquals(200, empty.status());
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", text(empty.response()));
        assertNull(rules.get(3).condition());
        HttpAction.Return file = (HttpAction.Return) rules.get(4).action();
        assertEquals("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 16\r\ncontent-type: text/html\r\n\r\n"
                + "<p>back soon</p>", text(file.response()));
        HttpAction.Return string = (HttpAction.Return) rules.get(5).action();
        assertEquals(201, string.status());
        assertEquals("HTTP/1.1 201 Created\r\ncontent-length: 11\r\ncontent-type: text/plain; charset=utf-8\r\n\r\n"
                + "hello world", text(string.response()));

        assertEquals(new HttpAction.SetHeader("x-forwarded-proto", "https"), rules.get(6).action());
        assertEquals(new HttpAction.AddHeader("x-rate", "100% sure"), rules.get(7).action());
        assertEquals("if admin", rules.get(7).condition().toString());
        assertEquals(new HttpAction.DelHeader("proxy"), rules.get(8).action());
        assertEquals(new HttpAction.Redirect(HttpAction.RedirectType.LOCATION, "https://example.com/", 302),
                rules.get(9).action());
        assertEquals(new HttpAction.Redirect(HttpAction.RedirectType.PREFIX, "/v2", 301), rules.get(10).action());
        assertEquals(new HttpAction.Redirect(HttpAction.RedirectType.SCHEME, "https", 308), rules.get(11).action());
    }

    @Test
    public void httpResponseActions() throws Exception {
        Frontend frontend = frontend(
                "acl api path_beg /api",
                "http-response set-header Cache-Control no-store if api",
                "http-response add-header Via 1.1\\ muxgate",
                "http-response del-header Server unless api");
        List<HttpRule> rules = frontend.http().responseRules();
        assertEquals(List.of(new HttpAction.SetHeader("cache-control", "no-store"),
                new HttpAction.AddHeader("via", "1.1 muxgate"), new HttpAction.DelHeader("server")),
                rules.stream().map(HttpRule::action).toList());
        assertEquals(List.of(6, 7, 8), rules.stream().map(HttpRule::line).toList());
        assertTrue(rules.get(0).applies(new TestSample("GET", "/api")));
        assertFalse(rules.get(2).applies(new TestSample("GET", "/api")));
    }

    @Test
    public void backendAndListenRules() throws Exception {
        Configuration config = parse("""
                listen l
                    mode http
                    bind :80
                    acl a path /a
                    http-request deny if a
                    http-response del-header server
                    server s 10.0.0.1:80
                backend b
                    mode http
                    acl a path /b
                    http-request deny if a
                    http-response del-header x-powered-by
                    server s 10.0.0.1:80
                """);
        assertEquals(1, config.frontend("l").orElseThrow().http().requestRules().size());
        assertEquals(1, config.frontend("l").orElseThrow().http().responseRules().size());
        assertEquals(List.of(), config.backend("l").orElseThrow().http().requestRules());
        assertEquals(List.of(), config.backend("l").orElseThrow().http().responseRules());
        List<HttpRule> backendRules = config.backend("b").orElseThrow().http().requestRules();
        assertTrue(backendRules.get(0).applies(new TestSample("GET", "/b")));
        assertFalse(backendRules.get(0).applies(new TestSample("GET", "/a")));
        assertEquals(new HttpAction.DelHeader("x-powered-by"),
                config.backend("b").orElseThrow().http().responseRules().get(0).action());
    }

    @Test
    public void httpSettingsInTcpModeAreWarnedAbout() throws Exception {
        Configuration config = parse("""
                frontend f
                    bind :80
                    timeout client 1s
                    default_backend b
                    option httplog
                    option forwardfor
                    http-request deny
                backend b
                    timeout connect 1s
                    timeout server 1s
                    http-response del-header server
                    server s 10.0.0.1:80
                """);
        assertEquals(List.of(
                new Diagnostic(FILE.toString(), 1, "'frontend': frontend 'f' is in mode tcp: 'http-request',"
                        + " 'option forwardfor', 'option httplog' will be ignored (they require mode http)"),
                new Diagnostic(FILE.toString(), 8, "'backend': backend 'b' is in mode tcp: 'http-response'"
                        + " will be ignored (they require mode http)")), config.warnings());
    }
}
