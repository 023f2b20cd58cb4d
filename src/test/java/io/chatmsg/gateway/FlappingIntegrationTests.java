package io.chatmsg.gateway;

import java.time.Duration;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An address or id that comes back in a loop is banned for a while, then welcome again.
 * Each test connects from a loopback address of its own (held to the limits here), so
 * none depends on what another left behind.
 */
@TestPropertySource(
        properties = {
            "chat.limits.exempt-loopback=false",
            "chat.limits.flap-limit=5",
            "chat.limits.flap-ban=2s",
            "chat.limits.max-connections-per-address=1000"
        })
class FlappingIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anIdThatLogsInInALoopIsBannedForAWhile() throws Exception {
        String id = uniqueId("looper");
        ChatTestClient c = connectFrom(freshAddress());
        String last = null;
        for (int i = 0; i < 6; i++) {
            c.send("LOGIN " + id);
            last = c.reply();
            if (last.startsWith("200")) {
                c.send("LOGOFF " + id);
                assertThat(c.reply()).startsWith("200 LOGOFF");
            }
        }
        assertThat(last).startsWith("403 banned: logging in in a loop");
        // The automatic ban is in the audit log, written off the event loop.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM audit_log WHERE operator = 'gateway' AND details LIKE ?",
                                Integer.class,
                                "id " + id + ":%")
                        > 0);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    c.send("LOGIN " + id);
                    return c.reply().equals("200 LOGIN " + id);
                });
    }

    @Test
    void anAddressThatConnectsAndDropsInALoopIsBannedForAWhile() throws Exception {
        String looper = freshAddress();
        int cycles = 0;
        String bye = null;
        while (cycles < 30 && bye == null) {
            ChatTestClient c = connectRawFrom(looper);
            String line = c.event();
            if (line.startsWith("BYE")) {
                bye = line;
            } else {
                cycles++;
            }
            c.close();
        }
        assertThat(bye).isEqualTo("BYE banned");
        assertThat(cycles).isGreaterThan(5); // more than flap-limit short connections closed first
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try (ChatTestClient back = ChatTestClient.connectRawFrom(looper, gateway.port())) {
                        return back.event().startsWith("HELLO ");
                    }
                });
    }

    @Test
    void connectionsThatStayOpenAreNotFlapping() throws Exception {
        String office = freshAddress();
        for (int i = 0; i < 20; i++) {
            connectFrom(office); // HELLO each: none is refused, and none is closed
        }
        ChatTestClient one = connectFrom(office);
        one.send("PING still-welcome");
        assertThat(one.reply()).isEqualTo("200 PONG still-welcome");
    }
}
