package org.muxgate.proxy.rules;

import java.nio.ByteBuffer;

/**
 * What an {@code http-request} or {@code http-response} rule does. Values are
 * literal: log-format expressions are refused when the configuration is parsed.
 * As in HAProxy, {@code allow} stops the evaluation of the rules of its list;
 * {@code deny}, {@code return} and {@code redirect} end the transaction with
 * their response; the header actions go on with the next rule.
 */
public sealed interface HttpAction {

    /** {@code allow}: skip the remaining rules of this list. */
    record Allow() implements HttpAction {
    }

    /**
     * {@code deny [deny_status N]}: answer with the error page of that status.
     *
     * @param status 403 by default; always one that {@link ErrorPages} has a page for
     */
    record Deny(int status) implements HttpAction {
    }

    /**
     * {@code return [status N] [content-type T] [string S | file F]}.
     *
     * @param status   200 by default
     * @param response the whole HTTP/1.1 response, built by {@link HttpResponses#build}, at most
     *                 {@code tune.bufsize} bytes; not to be modified
     */
    record Return(int status, byte[] response) implements HttpAction {
    }

    /**
     * {@code set-header NAME VALUE}: removes every header of that name, then adds one.
     *
     * @param name lower case, as HTX stores header names
     */
    record SetHeader(String name, String value) implements HttpAction {
    }

    /**
     * {@code add-header NAME VALUE}: adds a header, keeping those of the same name.
     *
     * @param name lower case
     */
    record AddHeader(String name, String value) implements HttpAction {
    }

    /**
     * {@code del-header NAME}: removes every header of that name.
     *
     * @param name lower case; headers are matched whatever their case
     */
    record DelHeader(String name) implements HttpAction {
    }

    /** The three forms of {@code redirect}. */
    enum RedirectType {
        /** {@code location L}: to L exactly. */
        LOCATION("location"),
        /** {@code prefix P}: to P followed by the request's URI (path and query). */
        PREFIX("prefix"),
        /** {@code scheme S}: to S://HOST followed by the request's URI. */
        SCHEME("scheme");

        private final String token;

        RedirectType(String token) {
            this.token = token;
        }

        /** The word following {@code redirect} in the configuration file. */
        public String token() {
            return token;
        }
    }

    /**
     * {@code redirect location|prefix|scheme VALUE [code N]}.
     *
     * @param code 301, 302 (the default), 303, 307 or 308
     */
    record Redirect(RedirectType type, String value, int code) implements HttpAction {

        /**
         * Writes the redirect response for a request.
         *
         * @param host the request's Host header (or authority), empty if it has none
         * @param uri  the request's path and query string, as received
         * @return false, with nothing written, if the response does not fit in {@code out}
         */
        public boolean write(ByteBuffer out, CharSequence host, CharSequence uri) {
            return switch (type) {
                case LOCATION -> HttpResponses.writeRedirect(out, code, value, "", "", "");
                // HAProxy does not double the slash of a "/" prefix: it redirects to the URI itself.
                case PREFIX -> HttpResponses.writeRedirect(out, code, value.equals("/") ? "" : value, uri, "", "");
                case SCHEME -> HttpResponses.writeRedirect(out, code, value, "://", host, uri);
            };
        }
    }
}
