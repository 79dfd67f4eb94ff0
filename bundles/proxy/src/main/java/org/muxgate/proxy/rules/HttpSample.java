package org.muxgate.proxy.rules;

import java.net.InetAddress;

/**
 * Zero-allocation view of a request for matching, what a {@link Condition} is
 * evaluated against. The engine implements it over its internal HTTP message;
 * the values it hands to a {@link ValueMatcher} are reusable flyweights.
 */
public interface HttpSample {

    /** Calls matcher on the method (e.g. "GET"); returns its result. */
    boolean matchMethod(ValueMatcher matcher);

    /** Path: from the first '/' of the target up to before '?', as HAProxy's {@code path}. */
    boolean matchPath(ValueMatcher matcher);

    /**
     * True if the matcher matches any comma-separated value of any header named
     * lowercaseName. A header present with an empty value gives one empty value,
     * so that {@code -m found} sees it.
     */
    boolean matchHeader(String lowercaseName, ValueMatcher matcher);

    /** The client's address (never null). */
    InetAddress source();
}
