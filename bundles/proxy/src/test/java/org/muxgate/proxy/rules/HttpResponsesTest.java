package org.muxgate.proxy.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** The responses of {@code return} and {@code redirect}. */
public class HttpResponsesTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String written(HttpAction.Redirect redirect, String host, String uri) {
        ByteBuffer out = ByteBuffer.allocate(1024);
        assertTrue(redirect.write(out, host, uri));
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return text(bytes);
    }

    @Test
    public void returnWithBody() {
        byte[] body = "h\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-type: text/plain\r\n\r\nh\u00c3\u00a9",
                text(HttpResponses.build(200, "text/plain", body)));
    }

    @Test
    public void returnWithoutBody() {
        assertEquals("HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n",
                text(HttpResponses.build(204, null, new byte[0])));
        assertEquals("HTTP/1.1 299 Success\r\ncontent-length: 0\r\n\r\n",
                text(HttpResponses.build(299, null, new byte[0])));
    }

    @Test
    public void redirectLocation() {
        assertEquals("HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://example.com/\r\n"
                + "cache-control: no-cache\r\n\r\n",
                written(new HttpAction.Redirect(HttpAction.RedirectType.LOCATION, "https://example.com/", 302),
                        "ignored", "/ignored"));
        assertEquals("HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: /new\r\n\r\n",
                written(new HttpAction.Redirect(HttpAction.RedirectType.LOCATION, "/new", 301), "", "/"));
    }

    @Test
    public void redirectPrefixAppendsTheUri() {
        assertEquals("HTTP/1.1 308 Permanent Redirect\r\ncontent-length: 0\r\nlocation: https://b.example/x/a?q=1\r\n\r\n",
                written(new HttpAction.Redirect(HttpAction.RedirectType.PREFIX, "https://b.example/x", 308),
                        "a.example", "/a?q=1"));
        assertEquals("HTTP/1.1 303 See Other\r\ncontent-length: 0\r\nlocation: /a?q=1\r\n"
                + "cache-control: no-cache\r\n\r\n",
                written(new HttpAction.Redirect(HttpAction.RedirectType.PREFIX, "/", 303), "a.example", "/a?q=1"));
    }

    @Test
    public void redirectSchemeRebuildsFromTheHost() {
        assertEquals("HTTP/1.1 307 Temporary Redirect\r\ncontent-length: 0\r\nlocation: https://a.example:8443/p?x\r\n"
                + "cache-control: no-cache\r\n\r\n",
                written(new HttpAction.Redirect(HttpAction.RedirectType.SCHEME, "https", 307),
                        "a.example:8443", "/p?x"));
    }

    @Test
    public void redirectThatDoesNotFitWritesNothing() {
        HttpAction.Redirect redirect = new HttpAction.Redirect(HttpAction.RedirectType.LOCATION, "/x", 302);
        int size = written(redirect, "", "").length();
        ByteBuffer tooSmall = ByteBuffer.allocate(size - 1);
        assertFalse(redirect.write(tooSmall, "", ""));
        assertEquals(0, tooSmall.position());
        ByteBuffer exact = ByteBuffer.allocate(size);
        assertTrue(redirect.write(exact, "", ""));
        assertEquals(size, exact.position());
    }
}
