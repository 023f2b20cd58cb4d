package io.chatmsg.gateway;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** An address or id that comes back in a loop is banned for a while, then welcome again. */
@TestPropertySource(
        properties = {
            "chat.limits.exempt-loopback=false",
            "chat.limits.flap-limit=5",
            "chat.limits.flap-ban=2s",
            "chat.limits.max-connections-per-address=1000"
        })
class FlappingIntegrationTests extends GatewayIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void anIdThatLogsInInALoopIsBannedForAWhile() throws Exception {
        String id = uniqueId("looper");
        ChatTestClient c = connect();
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
        boolean audited = false;
        for (int i = 0; i < 50 && !audited; i++) {
            audited = jdbc.queryForObject(
                            "SELECT COUNT(*) FROM audit_log WHERE operator = 'gateway' AND details LIKE ?",
                            Integer.class,
                            "id " + id + ":%")
                    > 0;
            Thread.sleep(50);
        }
        assertThat(audited).isTrue();
        Thread.sleep(2200);
        c.send("LOGIN " + id);
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void anAddressThatReconnectsInALoopIsBannedForAWhile() throws Exception {
        Thread.sleep(2200); // whatever the other test did from this address has expired
        String first = null;
        for (int i = 0; i < 10 && first == null; i++) {
            ChatTestClient c = connectRaw();
            String line = c.event();
            if (line.startsWith("BYE")) {
                first = line;
            }
            c.close();
        }
        assertThat(first).isEqualTo("BYE banned");
        Thread.sleep(2200);
        ChatTestClient back = connect();
        back.send("PING back");
        assertThat(back.reply()).isEqualTo("200 PONG back");
    }
}
