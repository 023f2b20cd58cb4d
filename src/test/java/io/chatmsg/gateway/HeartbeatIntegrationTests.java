package io.chatmsg.gateway;

import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = {"chat.limits.idle-timeout=300ms", "chat.limits.ping-timeout=700ms"})
class HeartbeatIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    SessionRecorder sessions;

    @Test
    void silentClientIsPingedThenClosedWithPingTimeout() throws Exception {
        ChatTestClient c = connect();
        assertThat(c.event()).matches("PING \\S+");
        assertThat(c.event()).isEqualTo("BYE ping timeout");
        assertThat(c.awaitClosed()).isTrue();
    }

    @Test
    void clientThatAnswersStaysAndItsRoundTripIsMeasured() throws Exception {
        String id = uniqueId("pong");
        ChatTestClient c = login(id);
        for (int i = 0; i < 3; i++) {
            String ping = c.event();
            assertThat(ping).startsWith("PING ");
            c.send("PONG " + ping.substring(5));
        }
        c.send("PING still-here");
        assertThat(c.reply()).isEqualTo("200 PONG still-here");
        LiveSession s = sessions.live().stream()
                .filter(l -> id.equals(l.clientId()))
                .findFirst()
                .orElseThrow();
        assertThat(s.rttMillis()).isNotNull().isBetween(0L, 700L);
    }

    @Test
    void anyLineAfterAPingCountsAsAlive() throws Exception {
        ChatTestClient c = connect();
        for (int i = 0; i < 3; i++) {
            assertThat(c.event()).startsWith("PING ");
            c.send("PING busy-" + i);
            assertThat(c.reply()).isEqualTo("200 PONG busy-" + i);
        }
        assertThat(c.allLines()).doesNotContain("BYE ping timeout");
    }
}
