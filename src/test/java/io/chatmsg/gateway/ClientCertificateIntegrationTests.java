package io.chatmsg.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.chatmsg.support.GatewayIntegrationTest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/protocol.md: a certificate from the client CA logs in as its common name, no password. */
class ClientCertificateIntegrationTests extends GatewayIntegrationTest {

    private static final Path DIR;
    private static final KeyPair CA_KEYS;
    private static final X509Certificate CA;

    static {
        try {
            DIR = Files.createTempDirectory("client-ca-");
            CA_KEYS = keys();
            CA = certificate("CN=Test Client CA", CA_KEYS, "CN=Test Client CA", CA_KEYS, true);
            try (Writer w = Files.newBufferedWriter(DIR.resolve("ca.pem"));
                    JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(CA);
            }
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        registry.add("chat.tls.enabled", () -> "true");
        registry.add("chat.tls.port", () -> "0");
        registry.add("chat.tls.client-ca", () -> DIR.resolve("ca.pem").toString());
    }

    @Test
    void aCertificateFromTheClientCaLogsInAsItsCommonNameWithoutAPassword() throws Exception {
        String id = uniqueId("Machine");
        // Protected by a password the machine does not know.
        var c = connect();
        c.send("REGISTER " + id + " only-humans-know-it");
        assertThat(c.reply()).startsWith("201");

        try (SSLSocket s = connectWithCertificate(id)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("HELLO CHAT-MSG/1");
            out.write(("LOGIN " + id.toLowerCase() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("200 LOGIN " + id);
        }
        try (SSLSocket s = connectWithCertificate(uniqueId("someone-else"))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HELLO");
            s.getOutputStream().write(("LOGIN " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(in.readLine()).startsWith("401 ");
        }
    }

    private SSLSocket connectWithCertificate(String commonName) throws Exception {
        KeyPair keys = keys();
        X509Certificate cert = certificate("CN=" + commonName, keys, "CN=Test Client CA", CA_KEYS, false);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", keys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert, CA});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(
                kmf.getKeyManagers(),
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", gateway.tlsPort());
        s.startHandshake();
        return s;
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(
            String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject),
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
