package org.muxgate.transport.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * HAProxy's spelling of TLS settings turned into the JDK's: {@code alpn h2,http/1.1},
 * {@code ssl-min-ver TLSv1.2}, {@code ciphers} in OpenSSL names joined by ':', and
 * {@code ciphersuites}. Stateless.
 */
final class HaproxyTlsSyntax {

    static final String TLS12 = "TLSv1.2";
    static final String TLS13 = "TLSv1.3";

    /** The TLS 1.3 suites, whose OpenSSL names are the IANA names the JDK uses. */
    static final Set<String> TLS13_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /** OpenSSL's names of the TLS 1.2 suites worth configuring today, with the JDK's. */
    private static final Map<String, String> TLS12_SUITES = Map.ofEntries(
            Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            Map.entry("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
            Map.entry("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
            Map.entry("DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));

    /** {@code alpn}: protocol names joined by ','. */
    static List<String> alpn(String list) throws TlsConfigException {
        Set<String> protocols = new LinkedHashSet<>();
        for (String protocol : list.split(",", -1)) {
            int length = protocol.getBytes(StandardCharsets.UTF_8).length;
            if (length == 0 || length > 255) {
                throw new TlsConfigException("alpn '" + list + "': each protocol name needs 1 to 255 bytes");
            }
            protocols.add(protocol);
        }
        return List.copyOf(protocols);
    }

    /** {@code ssl-min-ver}: the JDK's protocols from that version up, newest first. */
    static List<String> protocolsFrom(String minVersion) throws TlsConfigException {
        switch (minVersion) {
            case TLS12:
                return List.of(TLS13, TLS12);
            case TLS13:
                return List.of(TLS13);
            case "SSLv3":
            case "TLSv1.0":
            case "TLSv1.1":
                throw new TlsConfigException("ssl-min-ver " + minVersion
                        + " is refused: versions below TLSv1.2 are insecure and not supported");
            default:
                throw new TlsConfigException("ssl-min-ver '" + minVersion + "': unknown version (expected "
                        + TLS12 + " or " + TLS13 + ")");
        }
    }

    /** {@code ciphers}: OpenSSL TLS 1.2 suite names joined by ':', as the JDK's names, in order. */
    static List<String> ciphers(String list) throws TlsConfigException {
        List<String> suites = new ArrayList<>();
        for (String name : list.split(":", -1)) {
            String jdkName = TLS12_SUITES.get(name);
            if (jdkName == null) {
                throw new TlsConfigException("ciphers: unknown cipher '" + name + "' (known: "
                        + String.join(", ", new TreeSet<>(TLS12_SUITES.keySet())) + ")");
            }
            if (!suites.contains(jdkName)) {
                suites.add(jdkName);
            }
        }
        return List.copyOf(suites);
    }

    /** {@code ciphersuites}: TLS 1.3 suite names joined by ':', in order. */
    static List<String> cipherSuites(String list) throws TlsConfigException {
        Set<String> suites = new LinkedHashSet<>();
        for (String name : list.split(":", -1)) {
            if (!TLS13_SUITES.contains(name)) {
                throw new TlsConfigException("ciphersuites: unknown TLS 1.3 suite '" + name + "' (known: "
                        + String.join(", ", new TreeSet<>(TLS13_SUITES)) + ")");
            }
            suites.add(name);
        }
        return List.copyOf(suites);
    }

    private HaproxyTlsSyntax() {
    }
}
