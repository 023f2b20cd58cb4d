package io.chatmsg.gateway;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import io.chatmsg.config.StartupProblem;
import io.chatmsg.config.TlsProperties;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's context: TLS 1.3 and 1.2 only, the JDK's modern suites,
 * the configured PEM pair or one generated once into the data dir (its SHA-256
 * fingerprint logged, for clients to pin), and optionally client certificates
 * checked against {@code chat.tls.client-ca}. Client-initiated renegotiation
 * (TLS 1.2; 1.3 has none) is refused with a fatal alert: each one would cost the
 * server a full handshake for a few bytes from the client.
 */
final class TlsContexts {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** AEAD suites with forward secrecy only (TLS 1.3's are all of that kind). */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Read once, when the JDK's TLS server first handshakes: set before the TLS port opens. */
    static final String REJECT_CLIENT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {}

    static SslContext server(TlsProperties tls, Path dataDir, String serverName) {
        if (System.getProperty(REJECT_CLIENT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_CLIENT_RENEGOTIATION, "true");
        }
        Path cert = tls.certificate();
        Path key = tls.privateKey();
        if (cert == null && key == null) {
            cert = dataDir.resolve("tls").resolve("certificate.pem");
            key = dataDir.resolve("tls").resolve("private-key.pem");
            if (!Files.exists(cert) || !Files.exists(key)) {
                generate(cert, key, serverName);
            }
        } else if (cert == null || key == null) {
            throw StartupProblem.configuration(
                    "chat.tls.certificate and chat.tls.private-key must be set together",
                    "Set both (PEM files), or neither to use a generated self-signed pair.",
                    null);
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            if (tls.clientCa() != null) {
                b.trustManager(tls.clientCa().toFile()).clientAuth(ClientAuth.OPTIONAL);
            }
            log.info("TLS certificate {} (SHA-256 fingerprint {})", cert, fingerprint(cert));
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw StartupProblem.configuration(
                    "cannot use the TLS certificate " + cert + " and key " + key + " (" + e + ")",
                    "Check chat.tls.certificate and chat.tls.private-key (PEM, key in PKCS#8).",
                    e);
        }
    }

    /** SHA-256 of the DER certificate, hex pairs joined by colons (as browsers and openssl show it). */
    static String fingerprint(Path pem) throws IOException {
        try (var in = Files.newInputStream(pem)) {
            X509Certificate c =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("not a certificate: " + pem, e);
        }
    }

    private static void generate(Path cert, Path key, String serverName) {
        try {
            Files.createDirectories(cert.getParent());
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair pair = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + serverName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))),
                    name,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, serverName), new GeneralName(GeneralName.dNSName, "localhost")
            }));
            X509Certificate c = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            writePem(cert, c, false);
            writePem(key, pair.getPrivate(), true);
            log.warn(
                    "generated a self-signed TLS certificate {} for {}; clients pin it with its fingerprint",
                    cert,
                    serverName);
        } catch (Exception e) {
            throw new StartupProblem(
                    "cannot generate a TLS certificate in " + cert.getParent() + " (" + e + ")",
                    "Make the data dir writable, or set chat.tls.certificate and chat.tls.private-key.",
                    e);
        }
    }

    private static void writePem(Path file, Object o, boolean secret) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(
                    secret
                            ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator((java.security.PrivateKey) o, null)
                            : o);
        }
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the directory's ACLs apply
            }
        }
    }
}
