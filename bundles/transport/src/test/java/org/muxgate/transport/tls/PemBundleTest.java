package org.muxgate.transport.tls;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.muxgate.transport.tls.TlsTestSupport.bundle;
import static org.muxgate.transport.tls.TlsTestSupport.pem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PemBundleTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void loadsPkcs8RsaWithItsChainLeafFirst() throws Exception {
        PemBundle bundle = bundle("a-rsa.pem");
        assertEquals("RSA", bundle.privateKey().getAlgorithm());
        assertEquals(2, bundle.chain().size());
        assertEquals("CN=a-rsa", bundle.leaf().getSubjectX500Principal().getName());
        assertEquals(bundle.chain().get(1).getSubjectX500Principal(), bundle.leaf().getIssuerX500Principal());
        assertEquals(Set.of("a.test", "a-rsa"), bundle.serverNames());
    }

    @Test
    public void loadsPkcs1RsaAsTheSameKey() throws Exception {
        assertArrayEquals(bundle("a-rsa.pem").privateKey().getEncoded(),
                bundle("a-rsa-pkcs1.pem").privateKey().getEncoded());
    }

    @Test
    public void loadsPkcs8Ec() throws Exception {
        PemBundle bundle = bundle("b-ec.pem");
        assertEquals("EC", bundle.privateKey().getAlgorithm());
        assertEquals(Set.of("b.test", "www.b.test", "b-ec"), bundle.serverNames());
    }

    @Test
    public void loadsSec1EcAsTheSameKeyWhereverTheKeyIsInTheFile() throws Exception {
        PemBundle sec1 = bundle("b-ec-sec1.pem");
        ECPrivateKey fromSec1 = (ECPrivateKey) sec1.privateKey();
        ECPrivateKey fromPkcs8 = (ECPrivateKey) bundle("b-ec.pem").privateKey();
        assertEquals(fromPkcs8.getS(), fromSec1.getS());
        assertEquals(fromPkcs8.getParams().toString(), fromSec1.getParams().toString());
        assertEquals("CN=b-ec", sec1.leaf().getSubjectX500Principal().getName());
    }

    @Test
    public void keepsWildcardNames() throws Exception {
        assertTrue(bundle("wild-rsa.pem").serverNames().contains("*.wild.test"));
    }

    @Test
    public void refusesAMissingFile() {
        Path missing = folder.getRoot().toPath().resolve("missing.pem");
        assertMessage("crt '" + missing + "': cannot read: no such file", missing);
    }

    @Test
    public void refusesAFileWithoutKey() {
        assertMessage("crt '" + pem("no-key.pem") + "': no private key", pem("no-key.pem"));
    }

    @Test
    public void refusesAFileWithoutCertificate() {
        assertMessage("crt '" + pem("no-cert.pem") + "': no certificate", pem("no-cert.pem"));
    }

    @Test
    public void refusesEncryptedKeysInBothForms() {
        for (String name : new String[] {"encrypted-pkcs8.pem", "encrypted-pkcs1.pem"}) {
            assertMessage("crt '" + pem(name) + "': the private key is encrypted"
                    + " (pass phrases are not supported: store the key unencrypted)", pem(name));
        }
    }

    @Test
    public void refusesAKeyOfAnotherCertificate() {
        assertMessage("crt '" + pem("mismatched.pem") + "': the private key does not match the certificate",
                pem("mismatched.pem"));
    }

    @Test
    public void refusesAKeyOfAnotherType() {
        assertMessage("crt '" + pem("mismatched-type.pem") + "': the private key does not match the certificate",
                pem("mismatched-type.pem"));
    }

    @Test
    public void refusesAnInvalidCertificateWithTheJdksReason() {
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> bundle("bad-cert.pem"));
        String prefix = "crt '" + pem("bad-cert.pem") + "': invalid certificate: ";
        assertTrue(e.getMessage(), e.getMessage().startsWith(prefix) && e.getMessage().length() > prefix.length());
    }

    @Test
    public void refusesTwoKeys() throws Exception {
        Path file = write("two-keys.pem", read("a-rsa.pem") + read("no-cert.pem"));
        assertMessage("crt '" + file + "': more than one private key", file);
    }

    @Test
    public void refusesAnUnterminatedBlock() throws Exception {
        String text = read("a-rsa.pem");
        Path file = write("cut.pem", text.substring(0, text.lastIndexOf("-----END")));
        assertMessage("crt '" + file + "': cannot read: a PEM block has no matching END line", file);
    }

    @Test
    public void refusesBadBase64() throws Exception {
        Path file = write("bad-base64.pem", read("no-key.pem")
                + "-----BEGIN PRIVATE KEY-----\nnot*base64\n-----END PRIVATE KEY-----\n");
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemBundle.load(file));
        assertTrue(e.getMessage(), e.getMessage().startsWith("crt '" + file + "': invalid private key: bad base64"));
    }

    @Test
    public void refusesATruncatedPkcs1Key() throws Exception {
        Path file = write("short.pem", read("no-key.pem")
                + "-----BEGIN RSA PRIVATE KEY-----\nMAUCAQ==\n-----END RSA PRIVATE KEY-----\n");
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemBundle.load(file));
        assertTrue(e.getMessage(), e.getMessage().startsWith("crt '" + file + "': invalid private key: "));
    }

    private static void assertMessage(String expected, Path file) {
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemBundle.load(file));
        assertEquals(expected, e.getMessage());
    }

    private static String read(String name) throws Exception {
        return Files.readString(pem(name), StandardCharsets.US_ASCII);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(folder.getRoot().toPath().resolve(name), text, StandardCharsets.US_ASCII);
    }
}
