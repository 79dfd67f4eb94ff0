package org.muxgate.proxy.rules;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds the responses that Muxgate produces itself: {@code return} and {@code redirect}. */
public final class HttpResponses {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LOCATION = bytes("content-length: 0\r\nlocation: ");
    private static final byte[] NO_CACHE = bytes("cache-control: no-cache\r\n");
    private static final byte[] STATUS_301 = bytes("HTTP/1.1 301 Moved Permanently\r\n");
    private static final byte[] STATUS_302 = bytes("HTTP/1.1 302 Found\r\n");
    private static final byte[] STATUS_303 = bytes("HTTP/1.1 303 See Other\r\n");
    private static final byte[] STATUS_307 = bytes("HTTP/1.1 307 Temporary Redirect\r\n");
    private static final byte[] STATUS_308 = bytes("HTTP/1.1 308 Permanent Redirect\r\n");

    private HttpResponses() {
    }

    /**
     * A complete HTTP/1.1 response with a {@code content-length}, as
     * {@code http-request return} sends it.
     *
     * @param contentType null when there is no body
     * @param body        empty for none
     */
    public static byte[] build(int status, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("content-length: ").append(body.length).append("\r\n");
        if (contentType != null) {
            head.append("content-type: ").append(contentType).append("\r\n");
        }
        byte[] headBytes = bytes(head.append("\r\n").toString());
        byte[] response = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(body, 0, response, headBytes.length, body.length);
        return response;
    }

    /**
     * Writes a redirect as HAProxy's {@code http_apply_redirect_rule()} forms it:
     * the status line, {@code content-length: 0}, the location (the four parts one
     * after the other, so that the caller need not concatenate them) and, for 302,
     * 303 and 307, {@code cache-control: no-cache}. Characters are written as
     * single bytes (ISO-8859-1), as they come from HTTP messages and from
     * configuration values checked to be ASCII.
     *
     * @return false, with nothing written, if the response does not fit
     */
    static boolean writeRedirect(ByteBuffer out, int code, CharSequence a, CharSequence b, CharSequence c,
            CharSequence d) {
        byte[] statusLine = redirectStatusLine(code);
        boolean noCache = code == 302 || code == 303 || code == 307;
        int size = statusLine.length + LOCATION.length + a.length() + b.length() + c.length() + d.length()
                + CRLF.length + (noCache ? NO_CACHE.length : 0) + CRLF.length;
        if (out.remaining() < size) {
            return false;
        }
        out.put(statusLine).put(LOCATION);
        put(out, a);
        put(out, b);
        put(out, c);
        put(out, d);
        out.put(CRLF);
        if (noCache) {
            out.put(NO_CACHE);
        }
        out.put(CRLF);
        return true;
    }


    /** HAProxy's reasons for redirects, which differ from {@link #reason} for 302. */
    private static byte[] redirectStatusLine(int code) {
        return switch (code) {
            case 301 -> STATUS_301;
            case 302 -> STATUS_302;
            case 303 -> STATUS_303;
            case 307 -> STATUS_307;
            case 308 -> STATUS_308;
            default -> throw new IllegalArgumentException("not a redirect code: " + code);
        };
    }

    private static void put(ByteBuffer out, CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            out.put((byte) text.charAt(i));
        }
    }

    /** The reason phrase of a status, as HAProxy's {@code http_get_reason()} gives it. */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Moved Temporarily";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Time-out";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested range unsatisfiable";
            case 417 -> "Expectation failed";
            case 418 -> "I'm a teapot";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable entity";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway or Proxy Error";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Time-out";
            case 505 -> "HTTP Version not supported";
            default -> switch (status / 100) {
                case 1 -> "Informational";
                case 2 -> "Success";
                case 3 -> "Redirection";
                case 4 -> "Client Error";
                case 5 -> "Server Error";
                default -> "Other";
            };
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
