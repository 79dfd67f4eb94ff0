package org.muxgate.proxy.rules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The responses Muxgate sends for the errors it detects itself and for
 * {@code deny}: HAProxy's built-in pages, replaced status by status by the
 * proxy's {@code errorfile} lines. The arrays returned are shared: never modify them.
 */
public final class ErrorPages {

    /** The statuses that have a built-in page, which are those {@code errorfile} accepts. */
    public static final List<Integer> STATUSES = List.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425,
            429, 500, 501, 502, 503, 504);

    /** {@link #STATUSES} unboxed: looking a status up must not box it (above 127, boxing allocates). */
    private static final int[] CODES = STATUSES.stream().mapToInt(Integer::intValue).toArray();
    private static final int INTERNAL_ERROR = index(500);

    /**
     * Byte-exact copies of HAProxy 2.6's {@code http_err_msgs} (src/http.c, as in
     * haproxy/haproxy commit 56e46cb393a5d39081e8e26fbb765cf7592736be, with the
     * 501 entry that 2.6 added): header names as HAProxy writes them, and
     * {@code Connection: close} only on 400 and 408, after which the connection
     * cannot be reused.
     */
    private static final String[] HAPROXY_PAGES = {
        "HTTP/1.1 200 OK\r\n"
            + "Content-length: 58\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n",
        "HTTP/1.1 400 Bad request\r\n"
            + "Content-length: 90\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Connection: close\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n",
        "HTTP/1.1 401 Unauthorized\r\n"
            + "Content-length: 112\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
        "HTTP/1.1 403 Forbidden\r\n"
            + "Content-length: 93\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n",
        "HTTP/1.1 404 Not Found\r\n"
            + "Content-length: 83\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>404 Not Found</h1>\nThe resource could not be found.\n</body></html>\n",
        "HTTP/1.1 405 Method Not Allowed\r\n"
            + "Content-length: 146\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>405 Method Not Allowed</h1>\nA request was made of a resource using a request method"
            + " not supported by that resource\n</body></html>\n",
        "HTTP/1.1 407 Unauthorized\r\n"
            + "Content-length: 112\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>407 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
        "HTTP/1.1 408 Request Time-out\r\n"
            + "Content-length: 110\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Connection: close\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n",
        "HTTP/1.1 410 Gone\r\n"
            + "Content-length: 114\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>410 Gone</h1>\nThe resource is no longer available and will not be available again.\n</body></html>\n",
        "HTTP/1.1 413 Payload Too Large\r\n"
            + "Content-length: 106\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>413 Payload Too Large</h1>\nThe request entity exceeds the maximum allowed.\n</body></html>\n",
        "HTTP/1.1 425 Too Early\r\n"
            + "Content-length: 80\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>425 Too Early</h1>\nYour browser sent early data.\n</body></html>\n",
        "HTTP/1.1 429 Too Many Requests\r\n"
            + "Content-length: 117\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n",
        "HTTP/1.1 500 Internal Server Error\r\n"
            + "Content-length: 97\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>500 Internal Server Error</h1>\nAn internal server error occurred.\n</body></html>\n",
        "HTTP/1.1 501 Not Implemented\r\n"
            + "Content-length: 136\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>501 Not Implemented</h1>\n.The server does not support the functionality required to"
            + " fulfill the request.\n</body></html>\n",
        "HTTP/1.1 502 Bad Gateway\r\n"
            + "Content-length: 107\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n",
        "HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-length: 107\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n",
        "HTTP/1.1 504 Gateway Time-out\r\n"
            + "Content-length: 92\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Content-Type: text/html\r\n"
            + "\r\n"
            + "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n",
    };

    private static final ErrorPages DEFAULTS = new ErrorPages(Map.of());

    /** Indexed as {@link #STATUSES}. */
    private final byte[][] pages = new byte[STATUSES.size()][];
    private final boolean[] errorfiles = new boolean[STATUSES.size()];

    private ErrorPages(Map<Integer, byte[]> errorfiles) {
        for (int i = 0; i < pages.length; i++) {
            byte[] errorfile = errorfiles.get(STATUSES.get(i));
            this.errorfiles[i] = errorfile != null;
            pages[i] = errorfile != null ? errorfile : HAPROXY_PAGES[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        for (Integer status : errorfiles.keySet()) {
            if (index(status) < 0) {
                throw new IllegalArgumentException("no error page for status " + status + " (expected one of "
                        + STATUSES + ")");
            }
        }
    }

    /** HAProxy's built-in pages. */
    public static ErrorPages defaults() {
        return DEFAULTS;
    }

    /**
     * The built-in pages, with these instead for their statuses.
     *
     * @param errorfiles whole HTTP responses by status, each status one of {@link #STATUSES}
     */
    public static ErrorPages with(Map<Integer, byte[]> errorfiles) {
        return errorfiles.isEmpty() ? DEFAULTS : new ErrorPages(errorfiles);
    }

    /**
     * The response for a status: its errorfile if there is one, else HAProxy's
     * page; as in HAProxy, a status without a page of its own gets the 500 one.
     */
    public byte[] page(int status) {
        int index = index(status);
        return pages[index >= 0 ? index : INTERNAL_ERROR];
    }

    /**
     * Whether the page of this status comes from an {@code errorfile}, so that a
     * backend's errorfile can take precedence over its frontend's, as in HAProxy.
     */
    public boolean hasErrorfile(int status) {
        int index = index(status);
        return index >= 0 && errorfiles[index];
    }

    /** The index of a status in {@link #STATUSES}, or -1. */
    private static int index(int status) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == status) {
                return i;
            }
        }
        return -1;
    }
}
