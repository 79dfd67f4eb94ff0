package org.muxgate.proxy.rules;

/**
 * Tests one value of a request (a method, a path, a header value). The value is
 * a reusable flyweight over the message: a matcher must not keep it.
 */
@FunctionalInterface
public interface ValueMatcher {

    boolean matches(CharSequence value);
}
