/**
 * What HTTP rules are made of, compiled from the configuration and evaluated by
 * the engine for each transaction: ACLs ({@link org.muxgate.proxy.rules.Acl},
 * {@link org.muxgate.proxy.rules.AclExpression},
 * {@link org.muxgate.proxy.rules.PatternMatcher},
 * {@link org.muxgate.proxy.rules.Network}), the {@code if}/{@code unless}
 * {@link org.muxgate.proxy.rules.Condition} of a rule, the actions of
 * {@code http-request} and {@code http-response}
 * ({@link org.muxgate.proxy.rules.HttpRule},
 * {@link org.muxgate.proxy.rules.HttpAction}), and the responses Muxgate makes
 * itself ({@link org.muxgate.proxy.rules.ErrorPages},
 * {@link org.muxgate.proxy.rules.HttpResponses}).
 *
 * <p>Plain Java, immutable once built. A condition is evaluated against an
 * {@link org.muxgate.proxy.rules.HttpSample}, a view of the request that hands
 * its values to matchers in place, so that evaluating allocates nothing (except
 * for the bytes of an IPv6 client address, see {@link org.muxgate.proxy.rules.Network}).
 * The syntax is parsed by {@code org.muxgate.proxy.config}.
 */
package org.muxgate.proxy.rules;
