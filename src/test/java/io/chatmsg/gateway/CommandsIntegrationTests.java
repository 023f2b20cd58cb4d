package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsIntegrationTests extends GatewayIntegrationTest {

    @Test
    void whoListsLoggedInClientsSortedCaseInsensitively() throws Exception {
        String zed = uniqueId("Zed");
        String amy = uniqueId("amy");
        String bob = uniqueId("Bob");
        ChatTestClient c = login(zed);
        login(amy);
        login(bob);
        c.send("WHO");
        List<String> lines = c.multiLineReply();
        String last = lines.get(lines.size() - 1);
        assertThat(last).matches("200 WHO \\d+");
        List<String> ids = new ArrayList<>();
        for (String l : lines.subList(0, lines.size() - 1)) {
            assertThat(l).startsWith("200-");
            ids.add(l.substring(4));
        }
        assertThat(Integer.parseInt(last.substring(8))).isEqualTo(ids.size());
        assertThat(ids).contains(zed, amy, bob);
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort((x, y) -> x.toLowerCase().compareTo(y.toLowerCase()));
        assertThat(ids).isEqualTo(sorted);
    }

    @Test
    void whoRequiresLogin() throws Exception {
        ChatTestClient c = connect();
        c.send("WHO");
        assertThat(c.reply()).startsWith("401 ");
    }

    @Test
    void historyReturnsBothDirectionsOldestFirstWithLimits() throws Exception {
        String a = uniqueId("hA");
        String b = uniqueId("hB");
        ChatTestClient ca = login(a);
        ChatTestClient cb = login(b);
        for (int i = 1; i <= 30; i++) {
            ChatTestClient from = i % 2 == 0 ? cb : ca;
            from.send("MSG " + (i % 2 == 0 ? a : b) + " m" + i);
            assertThat(from.reply()).startsWith("200 MSG");
        }
        ca.send("HISTORY " + b);
        List<String> lines = ca.multiLineReply();
        assertThat(lines).hasSize(21).last().isEqualTo("200 HISTORY 20");
        for (int i = 0; i < 20; i++) {
            int n = 11 + i;
            String from = n % 2 == 0 ? b : a;
            String to = n % 2 == 0 ? a : b;
            assertThat(lines.get(i))
                    .matches("200-\\d+ \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z " + from + " " + to + " m"
                            + n);
        }
        cb.send("HISTORY " + a.toUpperCase() + " 3");
        List<String> three = cb.multiLineReply();
        assertThat(three).hasSize(4).last().isEqualTo("200 HISTORY 3");
        assertThat(three.get(2)).endsWith(" m30");
        cb.send("HISTORY " + a + " 100000");
        assertThat(cb.multiLineReply()).last().isEqualTo("200 HISTORY 30");
        cb.send("HISTORY " + a + " 0");
        assertThat(cb.reply()).isEqualTo("200 HISTORY 0");
    }

    @Test
    void historyOfBroadcasts() throws Exception {
        String a = uniqueId("bc");
        ChatTestClient c = login(a);
        c.send("MSG ALL first " + a).send("MSG ALL second " + a);
        assertThat(c.reply()).startsWith("200 MSG");
        assertThat(c.reply()).startsWith("200 MSG");
        c.send("HISTORY ALL 2");
        List<String> lines = c.multiLineReply();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).endsWith(" " + a + " ALL first " + a);
        assertThat(lines.get(1)).endsWith(" " + a + " ALL second " + a);
        assertThat(lines.get(2)).isEqualTo("200 HISTORY 2");
    }

    @Test
    void historyErrors() throws Exception {
        ChatTestClient anon = connect();
        anon.send("HISTORY ALL");
        assertThat(anon.reply()).startsWith("401 ");
        ChatTestClient c = login(uniqueId("he"));
        c.send("HISTORY nobody.ever").send("HISTORY x -1").send("HISTORY").send("HISTORY a!b");
        assertThat(c.reply()).startsWith("404 ");
        assertThat(c.reply()).startsWith("400 ");
        assertThat(c.reply()).startsWith("400 ");
        assertThat(c.reply()).startsWith("400 ");
    }

    @Test
    void pingNeedsNoLoginAndEchoesTheToken() throws Exception {
        ChatTestClient c = connect();
        c.send("PING").send("PING abc123").send("ping x");
        assertThat(c.reply()).isEqualTo("200 PONG");
        assertThat(c.reply()).isEqualTo("200 PONG abc123");
        assertThat(c.reply()).isEqualTo("200 PONG x");
    }

    @Test
    void unsolicitedPongGetsNoReply() throws Exception {
        ChatTestClient c = connect();
        c.send("PONG whatever").send("PING after");
        assertThat(c.reply()).isEqualTo("200 PONG after");
    }

    @Test
    void helpIsAMultiLineReply() throws Exception {
        ChatTestClient c = connect();
        c.send("HELP");
        List<String> lines = c.multiLineReply();
        assertThat(lines.size()).isGreaterThan(5);
        assertThat(lines.subList(0, lines.size() - 1)).allMatch(l -> l.startsWith("200-"));
        assertThat(lines).last().isEqualTo("200 HELP");
        assertThat(String.join("\n", lines)).contains("LOGIN", "LOGOFF", "MSG", "WHO", "HISTORY", "PING", "QUIT");
    }

    @Test
    void quitSaysByeAndCloses() throws Exception {
        ChatTestClient c = connect();
        c.sendRaw("QUIT\r\nPING too-late\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("200 BYE");
        assertThat(c.awaitClosed()).isTrue();
        assertThat(c.allLines()).doesNotContain("200 PONG too-late");
    }

    @Test
    void unknownCommandsAreNamed() throws Exception {
        ChatTestClient c = connect();
        c.send("DANCE now").send("login");
        assertThat(c.reply()).isEqualTo("400 unknown command DANCE");
        assertThat(c.reply()).startsWith("400 ");
    }
}
