package io.chatmsg.cli;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How the terminal client trusts a gateway's TLS certificate: the JDK's
 * trust store (a certificate from a public CA), a pinned SHA-256 fingerprint
 * (the self-signed one the gateway logged), or, explicitly, nothing.
 */
final class TlsTrust {

    private TlsTrust() {}

    static SSLSocketFactory factory(String fingerprint, boolean insecure) throws GeneralSecurityException {
        if (fingerprint == null && !insecure) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        String pinned = fingerprint == null ? null : normalize(fingerprint);
        X509TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (pinned == null) {
                    return; // --insecure
                }
                try {
                    String actual = HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                    if (!actual.equals(pinned)) {
                        throw new CertificateException("the server's certificate has fingerprint "
                                + HexFormat.ofDelimiter(":")
                                        .withUpperCase()
                                        .formatHex(HexFormat.of().parseHex(actual))
                                + ", not the pinned one");
                    }
                } catch (GeneralSecurityException e) {
                    throw new CertificateException(e);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx.getSocketFactory();
    }

    /** {@code AB:CD:...} or {@code abcd...} to lower-case hex; rejects anything that is not 32 bytes. */
    static String normalize(String fingerprint) {
        String hex = fingerprint.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 32 bytes in hex, such as AB:CD:...");
        }
        return hex;
    }
}
