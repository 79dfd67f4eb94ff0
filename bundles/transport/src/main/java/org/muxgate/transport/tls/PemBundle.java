package org.muxgate.transport.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code crt} file read as HAProxy reads it: a certificate chain, leaf first,
 * and the leaf's private key, in any order in the file. The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}), RSA or EC; encrypted keys are refused, since
 * nothing could ask for a pass phrase. Other blocks (EC or DH parameters, CRLs) are
 * skipped. The names that SNI matches are the leaf's DNS subject alternative names
 * and its subject common names, as HAProxy indexes them.
 *
 * <p>Immutable and thread-safe once loaded.
 */
public final class PemBundle {

    /** The DER of the OIDs rsaEncryption (1.2.840.113549.1.1.1) and id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] RSA_ENCRYPTION_OID =
            {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    /** The DER of the OID id-at-commonName (2.5.4.3). */
    private static final byte[] COMMON_NAME_OID = {0x06, 0x03, 0x55, 0x04, 0x03};
    /** INTEGER 0: PrivateKeyInfo's version. */
    private static final byte[] VERSION_0 = {Der.INTEGER, 0x01, 0x00};
    private static final int SAN_DNS_NAME = 2;

    private final Path path;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final Set<String> serverNames;

    private PemBundle(Path path, List<X509Certificate> chain, PrivateKey privateKey, Set<String> serverNames) {
        this.path = path;
        this.chain = chain;
        this.privateKey = privateKey;
        this.serverNames = serverNames;
    }

    /**
     * Reads and checks one file.
     *
     * @throws TlsConfigException if the file cannot be read, holds no certificate or
     *         no usable key, or the key is not the leaf certificate's
     */
    public static PemBundle load(Path path) throws TlsConfigException {
        String prefix = "crt '" + path + "': ";
        List<PemReader.Block> blocks = PemReader.read(prefix, path);
        byte[] pkcs8 = null;
        for (PemReader.Block block : blocks) {
            if (block.label().endsWith("PRIVATE KEY")) {
                if (pkcs8 != null) {
                    throw new TlsConfigException(prefix + "more than one private key");
                }
                pkcs8 = privateKeyInfo(prefix, block);
            }
        }
        List<X509Certificate> chain = PemReader.certificates(prefix, blocks);
        if (pkcs8 == null) {
            throw new TlsConfigException(prefix + "no private key");
        }
        X509Certificate leaf = chain.get(0);
        PrivateKey key = privateKey(prefix, pkcs8, leaf.getPublicKey());
        return new PemBundle(path, chain, key, serverNames(prefix, leaf));
    }

    /** The file it was read from. */
    public Path path() {
        return path;
    }

    /** The certificates, leaf first. */
    List<X509Certificate> chain() {
        return chain;
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The leaf's private key; its algorithm is {@code RSA} or {@code EC}. */
    PrivateKey privateKey() {
        return privateKey;
    }

    /** The leaf's DNS names and common names, lower case; wildcards stay as {@code *.example.com}. */
    public Set<String> serverNames() {
        return serverNames;
    }

    @Override
    public String toString() {
        return "crt '" + path + "' " + serverNames;
    }

    /** The key as a PKCS#8 PrivateKeyInfo, the only form the JDK's KeyFactory reads. */
    private static byte[] privateKeyInfo(String prefix, PemReader.Block block) throws TlsConfigException {
        String label = block.label();
        if (label.equals("ENCRYPTED PRIVATE KEY") || block.hasEncryptedHeader()) {
            throw new TlsConfigException(prefix + "the private key is encrypted (pass phrases are not supported:"
                    + " store the key unencrypted)");
        }
        byte[] der = PemReader.decode(prefix, "private key", block);
        try {
            switch (label) {
                case "PRIVATE KEY":
                    return der;
                case "RSA PRIVATE KEY":
                    // Not DER fails here with an offset, rather than later as the KeyFactory's vaguer error.
                    new Der.Reader(der).next(Der.SEQUENCE);
                    // PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 }
                    return Der.encode(Der.SEQUENCE, VERSION_0,
                            Der.encode(Der.SEQUENCE, RSA_ENCRYPTION_OID, new byte[] {Der.NULL, 0x00}),
                            Der.encode(Der.OCTET_STRING, der));
                case "EC PRIVATE KEY":
                    // PrivateKeyInfo { version 0, AlgorithmIdentifier { id-ecPublicKey, curve }, OCTET STRING sec1 }
                    return Der.encode(Der.SEQUENCE, VERSION_0,
                            Der.encode(Der.SEQUENCE, EC_PUBLIC_KEY_OID, sec1NamedCurve(prefix, der)),
                            Der.encode(Der.OCTET_STRING, der));
                default:
                    throw new TlsConfigException(prefix + "unsupported private key type '" + label
                            + "' (only RSA and EC keys)");
            }
        } catch (Der.MalformedException e) {
            throw new TlsConfigException(prefix + "invalid private key: " + e.getMessage());
        }
    }

    /**
     * The curve OID element of a SEC1 ECPrivateKey
     * {@code { version 1, OCTET STRING key, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }}.
     */
    private static byte[] sec1NamedCurve(String prefix, byte[] sec1) throws Der.MalformedException, TlsConfigException {
        Der.Reader fields = new Der.Reader(sec1).next(Der.SEQUENCE).contents();
        fields.next(Der.INTEGER);
        fields.next(Der.OCTET_STRING);
        while (fields.hasNext()) {
            Der.Element field = fields.next();
            if (field.tag() == Der.CONTEXT_0) {
                Der.Element parameters = field.contents().next();
                if (parameters.tag() != Der.OID) {
                    throw new TlsConfigException(prefix + "the EC private key has explicit curve parameters"
                            + " (only named curves are supported)");
                }
                return parameters.encoded();
            }
        }
        throw new TlsConfigException(prefix + "the EC private key does not name its curve");
    }

    private static PrivateKey privateKey(String prefix, byte[] pkcs8, PublicKey certificateKey)
            throws TlsConfigException {
        String algorithm;
        try {
            Der.Reader info = new Der.Reader(pkcs8).next(Der.SEQUENCE).contents();
            info.next(Der.INTEGER);
            byte[] oid = info.next(Der.SEQUENCE).contents().next(Der.OID).encoded();
            if (Arrays.equals(oid, RSA_ENCRYPTION_OID)) {
                algorithm = "RSA";
            } else if (Arrays.equals(oid, EC_PUBLIC_KEY_OID)) {
                algorithm = "EC";
            } else {
                throw new TlsConfigException(prefix + "unsupported private key algorithm (only RSA and EC keys)");
            }
        } catch (Der.MalformedException e) {
            throw new TlsConfigException(prefix + "invalid private key: " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(prefix + "invalid private key: " + PemReader.describe(e));
        }
        if (!algorithm.equals(certificateKey.getAlgorithm()) || !signaturesVerify(key, certificateKey)) {
            throw new TlsConfigException(prefix + "the private key does not match the certificate");
        }
        return key;
    }

    /**
     * Whether a signature by {@code key} verifies with the certificate's key: the one
     * check that works alike for RSA and EC, whose public point the JDK cannot derive.
     */
    private static boolean signaturesVerify(PrivateKey key, PublicKey certificateKey) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "muxgate key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // An EC key on another curve than the certificate's fails here rather than verifying false.
            return false;
        }
    }

    private static Set<String> serverNames(String prefix, X509Certificate leaf) throws TlsConfigException {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> alternativeNames = leaf.getSubjectAlternativeNames();
            if (alternativeNames != null) {
                for (List<?> name : alternativeNames) {
                    if (((Integer) name.get(0)) == SAN_DNS_NAME) {
                        names.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new TlsConfigException(prefix + "invalid certificate: " + PemReader.describe(e));
        }
        try {
            names.addAll(commonNames(leaf.getSubjectX500Principal().getEncoded()));
        } catch (Der.MalformedException e) {
            throw new TlsConfigException(prefix + "invalid certificate: subject: " + e.getMessage());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The CN values of a Name: {@code SEQUENCE OF SET OF { OID, value }}. */
    private static List<String> commonNames(byte[] name) throws Der.MalformedException {
        List<String> names = new ArrayList<>();
        Der.Reader relativeNames = new Der.Reader(name).next(Der.SEQUENCE).contents();
        while (relativeNames.hasNext()) {
            Der.Reader attributes = relativeNames.next(Der.SET).contents();
            while (attributes.hasNext()) {
                Der.Reader attribute = attributes.next(Der.SEQUENCE).contents();
                if (Arrays.equals(attribute.next(Der.OID).encoded(), COMMON_NAME_OID)) {
                    // Host names are ASCII in every string type a CA uses (UTF8, Printable, IA5).
                    names.add(new String(attribute.next().value(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
