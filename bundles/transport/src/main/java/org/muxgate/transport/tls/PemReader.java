package org.muxgate.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a PEM file into its blocks and decodes certificates, for {@code crt} and
 * {@code ca-file}. Every error is a {@link TlsConfigException} whose message starts
 * with the caller's prefix ({@code crt '/etc/x.pem': }). Stateless.
 */
final class PemReader {

    /** A block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and its body between the lines. */
    record Block(String label, String body) {

        /** Whether RFC 1421 headers say the body is encrypted (OpenSSL's traditional key format). */
        boolean hasEncryptedHeader() {
            return body.contains("Proc-Type: 4,ENCRYPTED");
        }
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String BEGIN = "-----BEGIN ";

    /** The blocks of the file, in file order. */
    static List<Block> read(String prefix, Path path) throws TlsConfigException {
        String text;
        try {
            // PEM is ASCII; Latin-1 maps any stray byte to one char instead of failing.
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsConfigException(prefix + "cannot read: " + describe(e));
        }
        List<Block> blocks = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            blocks.add(new Block(block.group(1), block.group(2)));
        }
        if (countOccurrences(text, BEGIN) != blocks.size()) {
            throw new TlsConfigException(prefix + "cannot read: a PEM block has no matching END line");
        }
        return blocks;
    }

    /** The certificates among {@code blocks}, in file order; at least one. */
    static List<X509Certificate> certificates(String prefix, List<Block> blocks) throws TlsConfigException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks) {
            if (block.label().equals("CERTIFICATE")) {
                certificates.add(certificate(prefix, block));
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(prefix + "no certificate");
        }
        return List.copyOf(certificates);
    }

    /** The DER inside a block. */
    static byte[] decode(String prefix, String what, Block block) throws TlsConfigException {
        StringBuilder data = new StringBuilder(block.body().length());
        for (String line : block.body().split("\r?\n")) {
            // RFC 1421 header lines ("Name: value") come first; base64 has no ':'.
            if (line.indexOf(':') < 0) {
                data.append(line.strip());
            }
        }
        try {
            return Base64.getDecoder().decode(data.toString());
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException(prefix + "invalid " + what + ": bad base64: " + e.getMessage());
        }
    }

    /** A reason for a config line: the JDK's message, or the exception's name when it has none. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static X509Certificate certificate(String prefix, Block block) throws TlsConfigException {
        byte[] der = decode(prefix, "certificate", block);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new TlsConfigException(prefix + "invalid certificate: " + describe(e));
        }
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private PemReader() {
    }
}
