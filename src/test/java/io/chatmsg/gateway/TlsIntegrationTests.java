package io.chatmsg.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

import io.chatmsg.session.SessionRecorder;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.JarLikeCommand;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docs/protocol.md: the same protocol inside TLS 1.2/1.3 on the TLS port, with a generated certificate. */
@TestPropertySource(properties = {"chat.tls.enabled=true", "chat.tls.port=0"})
class TlsIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    SessionRecorder sessions;

    @Value("${chat.data-dir}")
    Path dataDir;

    @Test
    void tlsAndTcpClientsChatWithEachOther() throws Exception {
        String a = uniqueId("tlsA");
        String b = uniqueId("tcpB");
        ChatTestClient secure = ChatTestClient.connectTls(gateway.tlsPort());
        secure.send("LOGIN " + a);
        assertThat(secure.reply()).isEqualTo("200 LOGIN " + a);
        ChatTestClient plain = login(b);
        secure.send("MSG " + b + " over tls");
        assertThat(secure.reply()).startsWith("200 MSG");
        assertThat(plain.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " over tls");
        plain.send("MSG " + a + " over tcp");
        assertThat(secure.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + b + " " + a + " over tcp");
        assertThat(sessions.live().stream()
                        .filter(s -> a.equals(s.clientId()))
                        .findFirst()
                        .orElseThrow()
                        .transport())
                .isEqualTo("tls");
        secure.close();
    }

    @Test
    void tls13AndTls12AreSpokenOlderIsRefused() throws Exception {
        ChatTestClient t13 = ChatTestClient.connectTls(gateway.tlsPort());
        assertThat(t13.tlsProtocol()).isEqualTo("TLSv1.3");
        t13.close();
        ChatTestClient t12 = ChatTestClient.connectTls(gateway.tlsPort(), "TLSv1.2");
        assertThat(t12.tlsProtocol()).isEqualTo("TLSv1.2");
        t12.close();
        assertThatThrownBy(() -> ChatTestClient.connectTls(gateway.tlsPort(), "TLSv1.1"))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void anAbandonedHandshakeIsClosedByTheServer() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", gateway.tlsPort())) {
            // The start of a ClientHello, then silence.
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01});
            s.setSoTimeout(20_000);
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
        }
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        ChatTestClient c = ChatTestClient.connectTls(gateway.tlsPort(), "TLSv1.2");
        c.send("PING before");
        assertThat(c.reply()).isEqualTo("200 PONG before");
        c.renegotiate();
        try {
            c.send("PING after");
        } catch (java.io.IOException closed) {
            // the fatal alert may already have arrived
        }
        assertThat(c.awaitClosed()).isTrue();
        assertThat(c.allLines()).doesNotContain("200 PONG after");
        // Others are still served.
        ChatTestClient other = ChatTestClient.connectTls(gateway.tlsPort(), "TLSv1.2");
        other.send("PING other");
        assertThat(other.reply()).isEqualTo("200 PONG other");
        other.close();
    }

    @Test
    void plainTextOnTheTlsPortIsClosed() throws Exception {
        ChatTestClient c = ChatTestClient.connectRaw(gateway.tlsPort());
        c.send("LOGIN not-encrypted");
        assertThat(c.awaitClosed()).isTrue();
        assertThat(c.allLines()).noneMatch(l -> l.startsWith("200"));
    }

    @Test
    void theTerminalClientPinsTheLoggedFingerprint() throws Exception {
        String fingerprint = TlsContexts.fingerprint(dataDir.resolve("tls").resolve("certificate.pem"));
        Process ok = client("--tls", "--fingerprint", fingerprint);
        assertThat(firstLines(ok)).anyMatch(l -> l.contains("HELLO CHAT-MSG/1"));
        ok.getOutputStream().close();
        assertThat(ok.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).isZero();

        String wrong = "00".repeat(32);
        Process refused = client("--tls", "--fingerprint", wrong);
        assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("not the pinned one");
    }

    private Process client(String... options) throws Exception {
        List<String> cmd = JarLikeCommand.of("client", "127.0.0.1", String.valueOf(gateway.tlsPort()));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static List<String> firstLines(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        OutputStream in = p.getOutputStream();
        in.write("PING tls\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        for (String l; (l = r.readLine()) != null; ) {
            lines.add(l);
            if (l.contains("PONG tls")) {
                break;
            }
        }
        return lines;
    }
}
