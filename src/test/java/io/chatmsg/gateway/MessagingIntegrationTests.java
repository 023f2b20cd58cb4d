package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.history.Message;
import io.chatmsg.history.MessageRepository;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MessageRepository messages;

    @Test
    void runsOnEpollWhereItLoads() {
        // CI and the deploy target are Linux on x86-64: the native transport must load there.
        if (System.getenv("CI") != null || io.netty.channel.epoll.Epoll.isAvailable()) {
            assertThat(gateway.transport()).isEqualTo("epoll");
        } else {
            assertThat(gateway.transport()).isEqualTo("nio");
        }
    }

    /**
     * Events from one sender reach each client in the order sent, whether they went
     * to everyone (delivered per event loop) or to one client (delivered directly),
     * and whichever event loop the recipient shares with the sender: with nine
     * connections over the gateway's loops, several recipients share the sender's.
     */
    @Test
    void oneSendersBroadcastsAndDirectMessagesArriveInOrder() throws Exception {
        String a = uniqueId("ord");
        ChatTestClient ca = login(a);
        List<String> ids = new ArrayList<>();
        List<ChatTestClient> rs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(uniqueId("ordr"));
            rs.add(login(ids.get(i)));
        }
        StringBuilder burst = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            burst.append("MSG ALL all-").append(round).append("\r\n");
            for (String id : ids) {
                burst.append("MSG ").append(id).append(" dm-").append(round).append("\r\n");
            }
        }
        ca.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 8; i++) {
            List<String> got = new ArrayList<>();
            while (got.size() < 6) {
                got.add(rs.get(i).eventMatching(e -> e.startsWith("MSG " + a + " ")));
            }
            String me = ids.get(i);
            assertThat(got)
                    .as("events at %s", me)
                    .containsExactly(
                            "MSG " + a + " ALL all-0",
                            "MSG " + a + " " + me + " dm-0",
                            "MSG " + a + " ALL all-1",
                            "MSG " + a + " " + me + " dm-1",
                            "MSG " + a + " ALL all-2",
                            "MSG " + a + " " + me + " dm-2");
        }
    }

    @Test
    void directMessageToAnOnlineClientIsDeliveredAndLogged() throws Exception {
        String a = uniqueId("ann");
        String b = uniqueId("ben");
        ChatTestClient ca = login(a);
        ChatTestClient cb = login(b);
        ca.send("MSG " + b + " hello  there ");
        String ack = ca.reply();
        assertThat(ack).matches("200 MSG \\d+");
        assertThat(cb.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " hello  there ");

        long id = Long.parseLong(ack.substring("200 MSG ".length()));
        Message m = messages.findById(id).orElseThrow();
        assertThat(m.getSender()).isEqualTo(a);
        assertThat(m.getRecipient()).isEqualTo(b);
        assertThat(m.getText()).isEqualTo("hello  there ");
        assertThat(m.getStatus()).isEqualTo(Message.DELIVERED);
        assertThat(m.getDeliveredAt()).isNotNull();
    }

    @Test
    void recipientIdIsCaseInsensitiveAndShownAsRegistered() throws Exception {
        String a = uniqueId("Fay");
        String b = uniqueId("Gus");
        ChatTestClient ca = login(a);
        ChatTestClient cb = login(b);
        ca.send("msg " + b.toUpperCase() + " hi");
        assertThat(ca.reply()).startsWith("200 MSG ");
        assertThat(cb.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " hi");
    }

    @Test
    void messageErrors() throws Exception {
        ChatTestClient anon = connect();
        anon.send("MSG someone hi").send("MSG ALL hi");
        assertThat(anon.reply()).startsWith("401 ");
        assertThat(anon.reply()).startsWith("401 ");

        ChatTestClient c = login(uniqueId("hal"));
        c.send("MSG never.seen.before hi")
                .send("MSG " + uniqueId("hal") + " ")
                .send("MSG b!d x")
                .send("MSG SERVER hi");
        assertThat(c.reply()).isEqualTo("404 no such client never.seen.before");
        assertThat(c.reply()).isEqualTo("400 empty text");
        assertThat(c.reply()).startsWith("400 ");
        assertThat(c.reply()).startsWith("404 ");
    }

    @Test
    void sendingToYourselfIsAllowed() throws Exception {
        String me = uniqueId("ivy");
        ChatTestClient c = login(me);
        c.send("MSG " + me + " note to self");
        assertThat(c.reply()).startsWith("200 MSG ");
        assertThat(c.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + me + " " + me + " note to self");
    }

    @Test
    void broadcastReachesEveryoneElseAndCountsThem() throws Exception {
        String s = uniqueId("sender");
        ChatTestClient sender = login(s);
        ChatTestClient r1 = login(uniqueId("r"));
        ChatTestClient r2 = login(uniqueId("r"));
        ChatTestClient notLoggedIn = connect();
        sender.send("MSG ALL  hello everyone");
        String ack = sender.reply();
        assertThat(ack).matches("200 MSG \\d+ \\d+");
        int n = Integer.parseInt(ack.substring(ack.lastIndexOf(' ') + 1));
        assertThat(n).isGreaterThanOrEqualTo(2);
        String expected = "MSG " + s + " ALL  hello everyone";
        assertThat(r1.eventMatching(e -> e.startsWith("MSG "))).isEqualTo(expected);
        assertThat(r2.eventMatching(e -> e.startsWith("MSG "))).isEqualTo(expected);
        assertThat(sender.eventsWithin(300)).noneMatch(e -> e.startsWith("MSG "));
        assertThat(notLoggedIn.eventsWithin(100)).noneMatch(e -> e.startsWith("MSG "));
    }

    @Test
    void offlineMessagesAreQueuedAndDeliveredOnceInOrderAtNextLogin() throws Exception {
        String a = uniqueId("kim");
        String b = uniqueId("lee");
        ChatTestClient cb = login(b);
        cb.send("LOGOFF " + b);
        assertThat(cb.reply()).isEqualTo("200 LOGOFF " + b);

        ChatTestClient ca = login(a);
        for (int i = 1; i <= 5; i++) {
            ca.send("MSG " + b + " queued " + i);
            assertThat(ca.reply()).matches("202 MSG \\d+");
        }
        assertThat(messages.findByRecipientKeyAndStatusOrderById(b.toLowerCase(), Message.QUEUED))
                .hasSize(5);

        cb.send("LOGIN " + b);
        assertThat(cb.reply()).isEqualTo("200 LOGIN " + b);
        // The queued messages come right after the LOGIN reply, oldest first.
        for (int i = 1; i <= 5; i++) {
            assertThat(cb.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " queued " + i);
        }
        int login = cb.allLines().lastIndexOf("200 LOGIN " + b);
        assertThat(cb.allLines().subList(login + 1, login + 6)).allMatch(l -> l.startsWith("MSG " + a));
        assertThat(messages.findByRecipientKeyAndStatusOrderById(b.toLowerCase(), Message.QUEUED))
                .isEmpty();

        // Once: a second login (after logoff) gets nothing again.
        cb.send("LOGOFF " + b);
        assertThat(cb.reply()).startsWith("200 LOGOFF");
        cb.send("LOGIN " + b);
        assertThat(cb.reply()).isEqualTo("200 LOGIN " + b);
        assertThat(cb.eventsWithin(300)).noneMatch(e -> e.startsWith("MSG "));
    }

    @Test
    void offlineQueueSurvivesAReconnectOnANewConnection() throws Exception {
        String a = uniqueId("max");
        String b = uniqueId("ned");
        login(b).close();
        ChatTestClient ca = login(a);
        // b's disconnect is processed asynchronously: wait until messages to b are queued.
        String ack;
        do {
            ca.send("MSG " + b + " probe");
            ack = ca.reply();
        } while (ack.startsWith("200"));
        assertThat(ack).startsWith("202");
        ca.send("MSG " + b + " after");
        assertThat(ca.reply()).startsWith("202");

        ChatTestClient cb = login(b);
        assertThat(cb.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " probe");
        assertThat(cb.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " after");
    }
}
