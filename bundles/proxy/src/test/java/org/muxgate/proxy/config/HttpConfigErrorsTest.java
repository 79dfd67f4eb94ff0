package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Each bad form of the mode http keywords is an error with its line. */
public class HttpConfigErrorsTest {

    private static final Path FILE = Path.of("/etc/muxgate.cfg");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static String errors(Path file, String config) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(file, config, Map.of(), host -> {
                    throw new UnknownHostException(host);
                }));
        return e.getMessage();
    }

    /** The errors of these lines in frontend f (line 4 onwards), which is otherwise valid. */
    private static String frontendErrors(String... lines) {
        return errors(FILE, "frontend f\n    mode http\n    bind :80\n    " + String.join("\n    ", lines)
                + "\n    default_backend b\nbackend b\n    mode http\n    server s 10.0.0.1:80\n");
    }

    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    @Test
    public void aclCriteriaAndFlags() {
        assertEquals(lines(
                "/etc/muxgate.cfg:4: 'acl': unsupported ACL criterion 'path_reg' (supported: hdr, hdr_beg, hdr_dom,"
                        + " hdr_end, hdr_sub, method, path, path_beg, path_end, path_sub, src)",
                "/etc/muxgate.cfg:5: 'acl': unsupported ACL criterion 'path_dir' (supported: hdr, hdr_beg, hdr_dom,"
                        + " hdr_end, hdr_sub, method, path, path_beg, path_end, path_sub, src)",
                "/etc/muxgate.cfg:6: 'acl': unsupported ACL flag '-f' (supported: -i, -m, --)",
                "/etc/muxgate.cfg:7: 'acl': unsupported ACL flag '-u' (supported: -i, -m, --)",
                "/etc/muxgate.cfg:8: 'acl': unknown match method 'reg' (expected str, beg, end, sub, dom, found)",
                "/etc/muxgate.cfg:9: 'acl': missing match method after '-m'",
                "/etc/muxgate.cfg:10: 'acl': match method 'sub' does not apply to 'src' (only 'ip')",
                "/etc/muxgate.cfg:11: 'acl': ACL criterion 'hdr' needs a header name: hdr(NAME)",
                "/etc/muxgate.cfg:12: 'acl': ACL criterion 'hdr_beg' needs a header name: hdr_beg(NAME)",
                "/etc/muxgate.cfg:13: 'acl': header occurrences are not supported ('hdr(host,1)')",
                "/etc/muxgate.cfg:14: 'acl': character ' ' is not permitted in header name 'x y'",
                "/etc/muxgate.cfg:15: 'acl': ACL criterion 'path' takes no argument ('path(x)')",
                "/etc/muxgate.cfg:16: 'acl': missing value after 'path_beg' (or '-m found' to test that it exists)",
                "/etc/muxgate.cfg:17: 'acl': missing ACL criterion",
                "/etc/muxgate.cfg:18: 'acl': missing ACL name",
                "/etc/muxgate.cfg:19: 'acl': character '/' is not permitted in ACL name 'a/b'",
                "/etc/muxgate.cfg:20: 'acl': character '/' is not permitted in method 'GET/1'",
                "/etc/muxgate.cfg:21: 'acl': unsupported ACL flag '-x' (supported: -i, -m, --)"), frontendErrors(
                "acl a path_reg ^/x",
                "acl a path_dir /x",
                "acl a path -f /etc/paths.lst",
                "acl a path -u 1 /x",
                "acl a path -m reg ^/x",
                "acl a path -m",
                "acl a src -m sub 10.0.0.1",
                "acl a hdr -i x",
                "acl a hdr_beg x",
                "acl a hdr(host,1) x",
                "acl a \"hdr(x y)\" x",
                "acl a path(x) /",
                "acl a path_beg -i",
                "acl a",
                "acl",
                "acl a/b path /",
                "acl a method GET/1",
                "acl a path -x"));
    }

    @Test
    public void badNetworks() {
        assertEquals(lines(
                "/etc/muxgate.cfg:4: 'acl': invalid prefix length in network '10.0.0.0/33' (expected 0 to 32)",
                "/etc/muxgate.cfg:5: 'acl': invalid network '10.0.0.256'"
                        + " (expected an IPv4 or IPv6 address with an optional /PREFIX)",
                "/etc/muxgate.cfg:6: 'acl': invalid network 'localhost'"
                        + " (expected an IPv4 or IPv6 address with an optional /PREFIX)",
                "/etc/muxgate.cfg:7: 'acl': invalid prefix length in network '::1/129' (expected 0 to 128)",
                "/etc/muxgate.cfg:8: 'acl': invalid prefix length in network '10.0.0.0/255.0.0.0' (expected 0 to 32)",
                "/etc/muxgate.cfg:9: 'acl': invalid prefix length in network '10.0.0.0/' (expected 0 to 32)",
                "/etc/muxgate.cfg:10: 'option': invalid network '1.2.3'"
                        + " (expected an IPv4 or IPv6 address with an optional /PREFIX)"), frontendErrors(
                "acl a src 10.0.0.1 10.0.0.0/33",
                "acl a src 10.0.0.256",
                "acl a src localhost",
                "acl a src ::1/129",
                "acl a src 10.0.0.0/255.0.0.0",
                "acl a src 10.0.0.0/",
                "option forwardfor except 1.2.3"));
    }

    @Test
    public void conditions() {
        assertEquals(lines(
                "/etc/muxgate.cfg:5: 'use_backend': unknown ACL 'nope'"
                        + " (an ACL must be declared in the section before the rules using it)",
                "/etc/muxgate.cfg:6: 'use_backend': unknown ACL 'later'"
                        + " (an ACL must be declared in the section before the rules using it)",
                "/etc/muxgate.cfg:8: 'use_backend': missing ACL after 'if'",
                "/etc/muxgate.cfg:9: 'use_backend': missing ACL at the end of the condition",
                "/etc/muxgate.cfg:10: 'use_backend': '||' must come between two ACLs in 'if'",
                "/etc/muxgate.cfg:11: 'use_backend': 'or' must come between two ACLs in 'unless'",
                "/etc/muxgate.cfg:12: 'use_backend': missing '}' closing the anonymous ACL in 'if'",
                "/etc/muxgate.cfg:13: 'use_backend': empty anonymous ACL '{ }'",
                "/etc/muxgate.cfg:14: 'use_backend': missing ACL after 'if'",
                "/etc/muxgate.cfg:15: 'use_backend': unexpected argument 'when' (expected 'if' or 'unless')",
                "/etc/muxgate.cfg:16: 'use_backend': unsupported ACL criterion 'url' (supported: hdr, hdr_beg,"
                        + " hdr_dom, hdr_end, hdr_sub, method, path, path_beg, path_end, path_sub, src)",
                "/etc/muxgate.cfg:17: 'use_backend': missing '}' closing the anonymous ACL in 'if'",
                "/etc/muxgate.cfg:18: 'acl': ACL 'a' is already used by the rule at line 7:"
                        + " declare all the lines of an ACL before the rules that use it"), frontendErrors(
                "acl a path /a",
                "use_backend b if nope",
                "use_backend b if later",
                "use_backend b if a",
                "use_backend b if",
                "use_backend b if a ||",
                "use_backend b if || a",
                "use_backend b unless !or a",
                "use_backend b if { path /x",
                "use_backend b if { }",
                "use_backend b if !",
                "use_backend b when a",
                "use_backend b if { url /x }",
                "use_backend b if { path /x a}",
                "acl a path /b",
                "acl later path /later"));
    }

    @Test
    public void aclsBelongToTheirSection() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'acl': not allowed in a defaults section (only in frontend, backend, listen)",
                "/etc/muxgate.cfg:3: 'http-request': not allowed in a defaults section (only in frontend, backend, listen)",
                "/etc/muxgate.cfg:4: 'http-response': not allowed in a defaults section"
                        + " (only in frontend, backend, listen)",
                "/etc/muxgate.cfg:13: 'http-request': unknown ACL 'a'"
                        + " (an ACL must be declared in the section before the rules using it)",
                "/etc/muxgate.cfg:15: 'http-request': not allowed in a global section (only in frontend, backend, listen)"),
                errors(FILE, """
                defaults
                    acl a path /
                    http-request deny
                    http-response del-header server
                frontend f
                    mode http
                    bind :80
                    acl a path /a
                    default_backend b
                backend b
                    mode http
                    server s 10.0.0.1:80
                    http-request deny if a
                global
                    http-request deny
                """));
    }

    @Test
    public void httpRequestActions() {
        assertEquals(lines(
                "/etc/muxgate.cfg:4: 'http-request': unknown http-request action 'tarpit' (expected allow, deny,"
                        + " return, redirect, set-header, add-header, del-header)",
                "/etc/muxgate.cfg:5: 'http-request': missing action",
                "/etc/muxgate.cfg:6: 'http-request': unsupported status code '418' for deny_status (expected one of"
                        + " 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504)",
                "/etc/muxgate.cfg:7: 'http-request': invalid deny_status 'abc' (expected an integer between 200 and 599)",
                "/etc/muxgate.cfg:8: 'http-request': unsupported deny option 'content-type' (only deny_status)",
                "/etc/muxgate.cfg:9: 'http-request': unexpected argument 'now' (expected 'if' or 'unless')",
                "/etc/muxgate.cfg:10: 'http-request': missing header value",
                "/etc/muxgate.cfg:11: 'http-request': character ':' is not permitted in header name 'x:y'",
                "/etc/muxgate.cfg:12: 'http-request': missing header name",
                "/etc/muxgate.cfg:13: 'http-request': unexpected argument '-m' (expected 'if' or 'unless')",
                "/etc/muxgate.cfg:14: 'http-request': character \\x0A is not permitted in header value 'a\nb'"
                        + " (printable ASCII only)",
                "/etc/muxgate.cfg:15: 'http-request': character \\xE9 is not permitted in header value 'caf\u00e9'"
                        + " (printable ASCII only)"), frontendErrors(
                "http-request tarpit",
                "http-request",
                "http-request deny deny_status 418",
                "http-request deny deny_status abc",
                "http-request deny content-type text/plain",
                "http-request allow now",
                "http-request set-header X-A",
                "http-request add-header x:y v",
                "http-request del-header",
                "http-request del-header x-a -m beg",
                "http-request set-header x-a \"a\\nb\"",
                "http-request set-header x-a caf\u00e9"));
    }

    @Test
    public void logFormatValuesAreRefused() {
        assertEquals(lines(
                "/etc/muxgate.cfg:4: 'http-request': log-format expressions are not supported in header value"
                        + " '%[src]' (write %% for a literal %)",
                "/etc/muxgate.cfg:5: 'http-request': log-format expressions are not supported in header value"
                        + " '%ci:%cp' (write %% for a literal %)",
                "/etc/muxgate.cfg:6: 'http-request': log-format expressions are not supported in header value"
                        + " '100%' (write %% for a literal %)",
                "/etc/muxgate.cfg:7: 'http-request': log-format expressions are not supported in redirect location"
                        + " 'https://%[hdr(host)]/' (write %% for a literal %)",
                "/etc/muxgate.cfg:8: 'http-request': log-format expressions are not supported in redirect prefix"
                        + " '/%{+Q}r' (write %% for a literal %)",
                "/etc/muxgate.cfg:9: 'http-response': log-format expressions are not supported in header value"
                        + " 'x %[res.hdr(server)]' (write %% for a literal %)"), frontendErrors(
                "http-request set-header x-client %[src]",
                "http-request add-header x-client %ci:%cp",
                "http-request set-header x-sure 100%",
                "http-request redirect location https://%[hdr(host)]/",
                "http-request redirect prefix /%{+Q}r",
                "http-response set-header x-server \"x %[res.hdr(server)]\""));
    }

    @Test
    public void returnAndRedirect() {
        assertEquals(lines(
                "/etc/muxgate.cfg:4: 'http-request': a 'content-type' is required with a body ('string' or 'file')",
                "/etc/muxgate.cfg:5: 'http-request': invalid status code '700' (expected an integer between 200 and 599)",
                "/etc/muxgate.cfg:6: 'http-request': invalid status code '101' (expected an integer between 200 and 599)",
                "/etc/muxgate.cfg:7: 'http-request': a 204 response cannot have a body",
                "/etc/muxgate.cfg:8: 'http-request': only one of 'string' and 'file' may give the body",
                "/etc/muxgate.cfg:9: 'http-request': return option 'lf-string' is not supported yet",
                "/etc/muxgate.cfg:10: 'http-request': unknown return option 'body'"
                        + " (expected status, content-type, string, file)",
                "/etc/muxgate.cfg:11: 'http-request': cannot read file '/etc/no-such-file.html': no such file",
                "/etc/muxgate.cfg:12: 'http-request': missing text",
                "/etc/muxgate.cfg:13: 'http-request': unknown redirect type 'url' (expected location, prefix, scheme)",
                "/etc/muxgate.cfg:14: 'http-request': invalid redirect code '304'"
                        + " (expected one of 301, 302, 303, 307, 308)",
                "/etc/muxgate.cfg:15: 'http-request': invalid redirect code '200'"
                        + " (expected an integer between 301 and 308)",
                "/etc/muxgate.cfg:16: 'http-request': unsupported redirect option 'drop-query' (only code)",
                "/etc/muxgate.cfg:17: 'http-request': missing location",
                "/etc/muxgate.cfg:18: 'http-response': unknown http-response action 'redirect'"
                        + " (expected set-header, add-header, del-header)"), frontendErrors(
                "http-request return string hello",
                "http-request return status 700",
                "http-request return status 101",
                "http-request return status 204 content-type text/plain string x",
                "http-request return content-type text/plain string a file b.html",
                "http-request return lf-string %[src]",
                "http-request return body x",
                "http-request return content-type text/html file no-such-file.html",
                "http-request return content-type text/plain string",
                "http-request redirect url /x",
                "http-request redirect location /x code 304",
                "http-request redirect location /x code 200",
                "http-request redirect location /x drop-query",
                "http-request redirect location",
                "http-response redirect location /x"));
    }

    @Test
    public void returnMustFitInABuffer() {
        String text = "x".repeat(1000);
        assertEquals("/etc/muxgate.cfg:5: 'http-request': the response is 1067 bytes long, more than tune.bufsize (1024)",
                errors(FILE, """
                global
                    tune.bufsize 1024
                frontend f
                    mode http
                    http-request return content-type text/plain string %s
                    # exactly 1024 bytes
                    http-request return content-type text/plain string %s
                    bind :80
                """.formatted(text, text.substring(42))));
    }

    @Test
    public void errorfiles() throws Exception {
        Path dir = folder.getRoot().toPath();
        Files.write(dir.resolve("big.http"), ("HTTP/1.1 503 Busy\r\n\r\n" + "x".repeat(1100)).getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("html.http"), "<html>busy</html>\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("version.http"), "HTTP/2 503 Busy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("headers.http"), "HTTP/1.1 503 Busy\r\ncontent-length: 0\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("empty.http"), new byte[0]);
        Files.write(dir.resolve("ok.http"), "HTTP/1.1 503 Busy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(dir.resolve("dir.http"));
        Path file = dir.resolve("muxgate.cfg");
        assertEquals(lines(
                file + ":4: 'errorfile': unsupported status code '418' for errorfile (expected one of"
                        + " 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504)",
                file + ":5: 'errorfile': invalid errorfile 'x' (expected an integer between 200 and 599)",
                file + ":6: 'errorfile': missing file name",
                file + ":7: 'errorfile': cannot read errorfile '" + dir.resolve("missing.http") + "': no such file",
                file + ":8: 'errorfile': errorfile '" + dir.resolve("big.http")
                        + "' is 1121 bytes long, more than tune.bufsize (1024)",
                file + ":9: 'errorfile': errorfile 'html.http' does not start with an HTTP status line"
                        + " ('HTTP/1.x CODE REASON')",
                file + ":10: 'errorfile': errorfile 'version.http' does not start with an HTTP status line"
                        + " ('HTTP/1.x CODE REASON')",
                file + ":11: 'errorfile': errorfile 'headers.http' has no empty line after its headers",
                file + ":12: 'errorfile': errorfile 'empty.http' does not start with an HTTP status line"
                        + " ('HTTP/1.x CODE REASON')",
                file + ":13: 'errorfile': cannot read errorfile '" + dir.resolve("dir.http") + "': java.io.IOException:"
                        + " Is a directory",
                file + ":14: 'errorfile': unexpected argument 'extra'",
                file + ":16: 'errorfile': not allowed in a global section (only in defaults, frontend, backend, listen)"),
                errors(file, """
                global
                    tune.bufsize 1024
                defaults
                    errorfile 418 big.http
                    errorfile x big.http
                    errorfile 503
                    errorfile 503 missing.http
                    errorfile 503 big.http
                    errorfile 503 html.http
                    errorfile 503 version.http
                    errorfile 503 headers.http
                    errorfile 503 empty.http
                    errorfile 503 dir.http
                    errorfile 503 ok.http extra
                global
                    errorfile 503 ok.http
                """));
    }

    @Test
    public void options() {
        assertEquals(lines(
                "/etc/muxgate.cfg:2: 'option': unknown forwardfor option 'for' (expected except, header, if-none)",
                "/etc/muxgate.cfg:3: 'option': missing network",
                "/etc/muxgate.cfg:4: 'option': character '(' is not permitted in header name 'x(y)'",
                "/etc/muxgate.cfg:5: 'option': unexpected argument 'header'",
                "/etc/muxgate.cfg:6: 'option': unexpected argument 'tcp' (only 'clf' may follow 'httplog')",
                "/etc/muxgate.cfg:7: 'option': unexpected argument 'now'",
                "/etc/muxgate.cfg:11: 'option': 'httplog' not allowed in a backend section"
                        + " (only in defaults, frontend, listen)",
                "/etc/muxgate.cfg:13: 'tune.http.maxhdr': invalid header count '0' (expected an integer between 1 and 32767)",
                "/etc/muxgate.cfg:14: 'tune.http.maxhdr': invalid header count '32768'"
                        + " (expected an integer between 1 and 32767)",
                "/etc/muxgate.cfg:16: 'tune.http.maxhdr': not allowed in a defaults section (only in global)",
                "/etc/muxgate.cfg:17: 'timeout': invalid time 'soon' for 'timeout http-request'"
                        + " (expected a number with an optional unit: us, ms, s, m, h, d)",
                "/etc/muxgate.cfg:19: 'tune.h2.initial-window-size': invalid window size '65534'"
                        + " (expected an integer between 65535 and 2147483647)",
                "/etc/muxgate.cfg:20: 'tune.h2.initial-window-size': invalid window size '2147483648'"
                        + " (expected an integer between 65535 and 2147483647)"), errors(FILE, """
                defaults
                    option forwardfor for 10.0.0.1
                    option forwardfor except
                    option forwardfor header x(y)
                    no option forwardfor header x
                    option httplog tcp
                    option httpclose now
                backend b
                    mode http
                    server s 10.0.0.1:80
                    option httplog
                global
                    tune.http.maxhdr 0
                    tune.http.maxhdr 32768
                defaults
                    tune.http.maxhdr 10
                    timeout http-request soon
                global
                    tune.h2.initial-window-size 65534
                    tune.h2.initial-window-size 2147483648
                """));
    }
}
