package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.session.SessionRecordRepository;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The guards with short limits: slowloris, login deadline, slow consumers, connections per address. */
@TestPropertySource(
        properties = {
            "chat.limits.line-deadline=400ms",
            "chat.limits.login-deadline=1500ms",
            "chat.limits.slow-consumer-backlog=64KB",
            "chat.limits.slow-consumer-grace=500ms",
            "chat.limits.max-connections-per-address=20",
            "chat.limits.exempt-loopback=false",
            "chat.limits.command-burst=100000",
            "chat.limits.command-rate=100000"
        })
class GuardsIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    SessionRecordRepository records;

    @Test
    void aLineThatTricklesInTooSlowlyIsCutOff() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw("PI".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(200);
        c.sendRaw("N".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.awaitClosed(5)).isTrue();
        assertThat(c.allLines()).last().isEqualTo("BYE line timeout");
    }

    @Test
    void aSlowButCompleteLineIsFine() throws Exception {
        ChatTestClient c = login(uniqueId("slowtyper"));
        c.sendRaw("PI".getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(150);
        c.sendRaw("NG typed\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("200 PONG typed");
    }

    @Test
    void aFileBodyIsNotALineAndHasNoLineDeadline() throws Exception {
        String me = uniqueId("uploader");
        ChatTestClient c = login(me);
        // A body that trickles in for longer than the line deadline, and ends without an LF.
        c.sendRaw(("PUT " + me + " 6 slow.bin\nabc").getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(600);
        c.sendRaw("def".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).startsWith("201 PUT ");
        Thread.sleep(600);
        c.send("PING after the body");
        assertThat(c.reply()).isEqualTo("200 PONG after the body");
    }

    @Test
    void aLineStartedRightAfterABodyStillHasItsDeadline() throws Exception {
        String me = uniqueId("uploader");
        ChatTestClient c = login(me);
        c.sendRaw(("PUT " + me + " 3 x.bin\nabcPI").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).startsWith("201 PUT ");
        assertThat(c.awaitClosed(5)).isTrue();
        assertThat(c.allLines()).last().isEqualTo("BYE line timeout");
    }

    @Test
    void aConnectionThatNeverLogsInIsClosed() throws Exception {
        ChatTestClient c = connect();
        c.send("PING not-logging-in");
        assertThat(c.reply()).isEqualTo("200 PONG not-logging-in");
        assertThat(c.awaitClosed(5)).isTrue();
        assertThat(c.allLines()).last().isEqualTo("BYE login timeout");
    }

    @Test
    void tooManyConnectionsFromOneAddressAreRefused() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            String last = null;
            for (int i = 0; i < 25 && last == null; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
                held.add(s);
                s.setSoTimeout(5000);
                byte[] buf = new byte[256];
                int n = s.getInputStream().read(buf);
                String first = new String(buf, 0, Math.max(0, n), StandardCharsets.UTF_8);
                if (first.startsWith("BYE")) {
                    last = first.trim();
                }
            }
            assertThat(last).isEqualTo("BYE too many connections from your address");
            assertThat(held.size()).isLessThanOrEqualTo(21);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndOthersKeepGoing() throws Exception {
        String stuckId = uniqueId("stuck");
        Socket stuck = new Socket();
        stuck.setReceiveBufferSize(1024);
        stuck.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
        stuck.getOutputStream().write(("LOGIN " + stuckId + "\r\n").getBytes(StandardCharsets.US_ASCII));
        ChatTestClient writer = login(uniqueId("writer"));
        ChatTestClient reader = login(uniqueId("reader"));
        String text = "x".repeat(3500);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            burst.append("MSG ALL ").append(text).append("\r\n");
        }
        writer.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 1500; i++) {
            assertThat(writer.reply()).startsWith("200 MSG");
        }
        for (int i = 0; i < 1500; i++) {
            reader.eventMatching(e -> e.startsWith("MSG "));
        }
        String reason = null;
        for (int i = 0; i < 100 && reason == null; i++) {
            reason = records.findAll().stream()
                    .filter(r -> stuckId.equals(r.getClientId()) && r.getEndReason() != null)
                    .map(r -> r.getEndReason())
                    .findFirst()
                    .orElse(null);
            Thread.sleep(100);
        }
        assertThat(reason).isEqualTo("slow consumer");
        stuck.close();
    }
}
