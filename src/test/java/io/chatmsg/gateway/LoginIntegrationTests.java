package io.chatmsg.gateway;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginIntegrationTests extends GatewayIntegrationTest {

    @Test
    void greetsEveryConnectionWithHello() throws Exception {
        ChatTestClient c = connectRaw();
        assertThat(c.event()).isEqualTo("HELLO CHAT-MSG/1 test-gateway");
    }

    @Test
    void loginSucceedsAndAnswersWithTheId() throws Exception {
        String id = uniqueId("Alice");
        ChatTestClient c = connect();
        c.send("LOGIN " + id);
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void loginRejectsMalformedAndReservedIds() throws Exception {
        ChatTestClient c = connect();
        c.send("LOGIN bad/id")
                .send("LOGIN ALL")
                .send("LOGIN server")
                .send("LOGIN " + "x".repeat(33))
                .send("LOGIN");
        for (int i = 0; i < 5; i++) {
            assertThat(c.reply()).startsWith("400 ");
        }
    }

    @Test
    void secondLoginOnTheSameConnectionIsForbidden() throws Exception {
        String id = uniqueId("dup");
        ChatTestClient c = login(id);
        c.send("LOGIN " + uniqueId("other"));
        assertThat(c.reply()).startsWith("403 ");
        c.send("LOGIN " + id);
        assertThat(c.reply()).startsWith("403 ");
    }

    @Test
    void idLoggedInElsewhereConflictsCaseInsensitively() throws Exception {
        String id = uniqueId("Carol");
        login(id);
        ChatTestClient second = connect();
        second.send("LOGIN " + id.toLowerCase());
        assertThat(second.reply()).startsWith("409 ");
        second.send("LOGIN " + id.toUpperCase());
        assertThat(second.reply()).startsWith("409 ");
    }

    @Test
    void idIsReportedAsFirstRegistered() throws Exception {
        String id = uniqueId("MiXeD");
        ChatTestClient first = login(id);
        first.send("LOGOFF " + id.toLowerCase());
        assertThat(first.reply()).isEqualTo("200 LOGOFF " + id);
        first.send("LOGIN " + id.toUpperCase());
        assertThat(first.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void logoffKeepsTheConnectionUsable() throws Exception {
        String id = uniqueId("dave");
        ChatTestClient c = login(id);
        c.send("LOGOFF " + id);
        assertThat(c.reply()).isEqualTo("200 LOGOFF " + id);
        c.send("WHO");
        assertThat(c.reply()).startsWith("401 ");
        String other = uniqueId("dave");
        c.send("LOGIN " + other);
        assertThat(c.reply()).isEqualTo("200 LOGIN " + other);
    }

    @Test
    void logoffErrors() throws Exception {
        ChatTestClient c = connect();
        c.send("LOGOFF nobody");
        assertThat(c.reply()).startsWith("401 ");
        String id = uniqueId("erin");
        c.send("LOGIN " + id);
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
        c.send("LOGOFF someone.else");
        assertThat(c.reply()).startsWith("403 ");
        c.send("LOGOFF b@d");
        assertThat(c.reply()).startsWith("400 ");
    }

    @Test
    void othersSeeJoinAndLeave() throws Exception {
        String watcher = uniqueId("watch");
        String a = uniqueId("joiner");
        String b = uniqueId("closer");
        ChatTestClient w = login(watcher);
        ChatTestClient ca = login(a);
        assertThat(w.eventMatching(e -> e.endsWith(" " + a))).isEqualTo("JOIN " + a);
        ChatTestClient cb = login(b);
        assertThat(w.eventMatching(e -> e.endsWith(" " + b))).isEqualTo("JOIN " + b);

        ca.send("LOGOFF " + a);
        assertThat(ca.reply()).isEqualTo("200 LOGOFF " + a);
        assertThat(w.eventMatching(e -> e.endsWith(" " + a))).isEqualTo("LEAVE " + a);
        cb.close();
        assertThat(w.eventMatching(e -> e.endsWith(" " + b))).isEqualTo("LEAVE " + b);
        // A client is not told of its own arrival.
        assertThat(ca.allLines()).doesNotContain("JOIN " + a);
    }
}
