/**
 * The haproxy.cfg parser: reads a configuration file into an immutable model, or
 * reports every error of the file at once as {@code FILE:LINE: 'keyword': message}.
 *
 * <h2>Model</h2>
 * {@link org.muxgate.proxy.config.Configuration} holds the {@code global} settings,
 * the frontends and the backends in file order. A {@code listen} section yields a
 * frontend and a backend of the same name. Defaults are already resolved: each
 * proxy holds its effective values, as HAProxy copies the {@code defaults} section
 * in effect into a proxy when the proxy's section starts. What a proxy does in
 * {@code mode http} is in its {@link org.muxgate.proxy.config.HttpSettings}: ACLs,
 * conditions and HTTP rules are compiled into the objects of
 * {@code org.muxgate.proxy.rules}, which the engine evaluates.
 *
 * <h2>Parsing</h2>
 * {@code Tokenizer} splits a line into words the way HAProxy's {@code parse_line()}
 * does. The first word of a line starts a section ({@code SectionType}) or is a
 * keyword of the current one. Keywords live in tables ({@code KeywordTable}):
 * {@code GlobalKeywords} for {@code global}, {@code ProxyKeywords} for
 * {@code defaults}, {@code frontend}, {@code backend} and {@code listen}, with
 * sub-tables for {@code option NAME}, the options of {@code server} lines and those
 * of {@code bind} lines. Each entry names the sections that allow it and a handler
 * that reads its arguments through {@code Args} into a builder
 * ({@code GlobalBuilder}, {@code ProxyBuilder}). {@code AclParser} reads
 * {@code acl} lines and the {@code if}/{@code unless} conditions ending rule
 * lines, {@code HttpRuleParser} the actions of {@code http-request} and
 * {@code http-response}. Files that keywords name ({@code errorfile},
 * {@code return file}) are read while parsing, relative to the configuration
 * file's directory. The rules that need the whole file (references to backends,
 * modes, missing binds, HTTP settings in tcp proxies) are checked at the end by
 * {@code ProxyChecks}.
 *
 * <h2>Adding a keyword</h2>
 * <ol>
 * <li>Add the value to the model record and a field to the builder; for a proxy
 *     value that a defaults section may set, copy it in {@code ProxyBuilder.inherit}.</li>
 * <li>Add one entry to the right table: the name, the sections allowing it (as in
 *     HAProxy's manual), and a handler reading the arguments with {@code Args} and
 *     the shared value parsers ({@code Values}, {@code AddressParser}). A new
 *     {@code option NAME}, server option ({@code check}, {@code inter}...) or bind
 *     option ({@code ssl}, {@code crt}...) is an entry in the matching sub-table; a
 *     new timeout or balance algorithm is a constant of
 *     {@link org.muxgate.proxy.config.TimeoutKind} or
 *     {@link org.muxgate.proxy.config.BalanceAlgorithm}.</li>
 * </ol>
 * The dispatcher reports unknown and misplaced keywords, {@code no} on keywords
 * that cannot be negated, and arguments left over after the handler.
 */
package org.muxgate.proxy.config;
