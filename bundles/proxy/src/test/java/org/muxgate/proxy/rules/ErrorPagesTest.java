package org.muxgate.proxy.rules;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/** HAProxy's built-in pages, byte for byte, and errorfiles replacing them. */
public class ErrorPagesTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\nContent-length: (\\d+)\r\n");

    private static String page(int status) {
        return new String(ErrorPages.defaults().page(status), StandardCharsets.ISO_8859_1);
    }

    @Test
    public void badRequest() {
        assertEquals("HTTP/1.1 400 Bad request\r\n"
                + "Content-length: 90\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Connection: close\r\n"
                + "Content-Type: text/html\r\n"
                + "\r\n"
                + "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n",
                page(400));
    }

    @Test
    public void requestTimeout() {
        assertEquals("HTTP/1.1 408 Request Time-out\r\n"
                + "Content-length: 110\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Connection: close\r\n"
                + "Content-Type: text/html\r\n"
                + "\r\n"
                + "<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n"
                + "</body></html>\n", page(408));
    }

    @Test
    public void serviceUnavailable() {
        assertEquals("HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-length: 107\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Content-Type: text/html\r\n"
                + "\r\n"
                + "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n"
                + "</body></html>\n", page(503));
    }

    @Test
    public void everyPageHasItsStatusAndItsBodyLength() {
        for (int status : ErrorPages.STATUSES) {
            String page = page(status);
            assertTrue(page, page.startsWith("HTTP/1.1 " + status + " "));
            Matcher length = CONTENT_LENGTH.matcher(page);
            assertTrue(page, length.find());
            String body = page.substring(page.indexOf("\r\n\r\n") + 4);
            assertEquals(page, Integer.parseInt(length.group(1)), body.length());
            assertTrue(page, body.startsWith("<html><body><h1>" + status + " "));
        }
    }

    @Test
    public void aStatusWithoutPageGetsTheInternalErrorOne() {
        assertSame(ErrorPages.defaults().page(500), ErrorPages.defaults().page(418));
        assertTrue(page(500).startsWith("HTTP/1.1 500 Internal Server Error\r\n"));
    }

    @Test
    public void errorfilesReplaceTheirStatusOnly() {
        byte[] custom = "HTTP/1.0 503 Busy\r\n\r\nlater".getBytes(StandardCharsets.ISO_8859_1);
        ErrorPages pages = ErrorPages.with(Map.of(503, custom));
        assertArrayEquals(custom, pages.page(503));
        assertTrue(pages.hasErrorfile(503));
        assertFalse(pages.hasErrorfile(502));
        assertFalse(pages.hasErrorfile(418));
        assertArrayEquals(ErrorPages.defaults().page(502), pages.page(502));
        assertFalse(ErrorPages.defaults().hasErrorfile(503));
        assertSame(ErrorPages.defaults(), ErrorPages.with(Map.of()));
    }

    @Test
    public void anErrorfileNeedsAStatusWithAPage() {
        assertThrows(IllegalArgumentException.class, () -> ErrorPages.with(Map.of(418, new byte[0])));
    }
}
