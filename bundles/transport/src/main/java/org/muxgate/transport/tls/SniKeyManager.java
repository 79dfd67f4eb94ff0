package org.muxgate.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks a listener's certificate the way HAProxy does: the bundles whose names
 * include the requested server name exactly; failing that, those with a wildcard
 * {@code *.rest} matching it (the wildcard covers one label); failing that, or
 * without SNI, the first bundle, HAProxy's default certificate. Among the bundles
 * picked, the first whose key is of the type the handshake asks for: the JDK asks
 * again with the next type the client accepts when we answer none, so an RSA and
 * an EC certificate for one name each serve the clients that want them.
 *
 * <p>An alias is the bundle's index. Server side only: the client methods choose
 * nothing. Immutable and thread-safe; the JDK calls it from every handshake.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final List<PemBundle> bundles;
    /** Server name (wildcards as {@code *.example.com}) to the indexes of the bundles that have it, in order. */
    private final Map<String, List<Integer>> bundlesByName;

    SniKeyManager(List<PemBundle> bundles) {
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("a TLS listener needs at least one certificate");
        }
        this.bundles = List.copyOf(bundles);
        Map<String, List<Integer>> byName = new HashMap<>();
        for (int i = 0; i < this.bundles.size(); i++) {
            for (String name : this.bundles.get(i).serverNames()) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(i);
            }
        }
        byName.replaceAll((name, indexes) -> List.copyOf(indexes));
        this.bundlesByName = Map.copyOf(byName);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, requestedHostName(engine.getHandshakeSession()));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession session = socket instanceof SSLSocket sslSocket ? sslSocket.getHandshakeSession() : null;
        return choose(keyType, requestedHostName(session));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            if (hasKeyType(i, keyType)) {
                aliases.add(Integer.toString(i));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        PemBundle bundle = bundle(alias);
        return bundle == null ? null : bundle.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PemBundle bundle = bundle(alias);
        return bundle == null ? null : bundle.privateKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    /** The alias for a handshake that asks for {@code keyType} and, unless null, {@code hostName}. */
    private String choose(String keyType, String hostName) {
        for (int index : candidates(hostName)) {
            if (hasKeyType(index, keyType)) {
                return Integer.toString(index);
            }
        }
        return null;
    }

    private List<Integer> candidates(String hostName) {
        if (hostName != null) {
            List<Integer> exact = bundlesByName.get(hostName);
            if (exact != null) {
                return exact;
            }
            int firstDot = hostName.indexOf('.');
            if (firstDot > 0) {
                List<Integer> wildcard = bundlesByName.get("*" + hostName.substring(firstDot));
                if (wildcard != null) {
                    return wildcard;
                }
            }
        }
        return List.of(0);
    }

    private boolean hasKeyType(int index, String keyType) {
        return bundles.get(index).privateKey().getAlgorithm().equals(keyType);
    }

    private PemBundle bundle(String alias) {
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < bundles.size() ? bundles.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The SNI host name of the handshake, lower case, or null when the client sent none. */
    private static String requestedHostName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName hostName) {
                    return hostName.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }
}
