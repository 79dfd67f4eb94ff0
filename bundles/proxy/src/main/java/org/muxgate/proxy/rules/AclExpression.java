package org.muxgate.proxy.rules;

import java.util.List;

/**
 * One {@code acl} line, or one anonymous ACL between braces: a sample of the
 * request (its method, path, a header or its source address) tested against
 * patterns. A response rule's condition is evaluated against the request of its
 * transaction: these criteria all describe requests.
 */
@FunctionalInterface
public interface AclExpression {

    boolean matches(HttpSample sample);

    /** {@code method}: the request method. */
    static AclExpression method(ValueMatcher matcher) {
        return sample -> sample.matchMethod(matcher);
    }

    /** {@code path}, {@code path_beg}...: the path, without the query string. */
    static AclExpression path(ValueMatcher matcher) {
        return sample -> sample.matchPath(matcher);
    }

    /** {@code hdr(NAME)}, {@code hdr_beg(NAME)}...: each value of each header of that name. */
    static AclExpression header(String lowercaseName, ValueMatcher matcher) {
        return sample -> sample.matchHeader(lowercaseName, matcher);
    }

    /** {@code src}: the client's address belongs to one of the networks. */
    static AclExpression source(List<Network> networks) {
        Network[] array = networks.toArray(new Network[0]);
        return sample -> {
            for (Network network : array) {
                if (network.contains(sample.source())) {
                    return true;
                }
            }
            return false;
        };
    }
}
