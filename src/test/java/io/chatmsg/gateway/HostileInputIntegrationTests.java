package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.chatmsg.history.MessageRepository;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks over real sockets. Each asserts the documented answer, that a
 * well-behaved client on another connection is still answered promptly while
 * it runs, and that acknowledged messages stay in the log.
 */
class HostileInputIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MessageRepository messages;

    /** The well-behaved client: answered within a second, and its message is logged. */
    private void bystanderIsServed(ChatTestClient bystander, String id) throws Exception {
        long t0 = System.nanoTime();
        bystander.send("MSG " + id + " still here");
        String ack = bystander.reply();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
        assertThat(ack).startsWith("200 MSG ");
        assertThat(messages.existsById(Long.parseLong(ack.substring(8)))).isTrue();
    }

    @Test
    void twentyConnectionsRacingToLogInTheSameIdExactlyOneWins() throws Exception {
        String id = uniqueId("contested");
        List<ChatTestClient> racers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            racers.add(connect());
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (ChatTestClient c : racers) {
                replies.add(pool.submit(() -> {
                    go.await();
                    c.send("LOGIN " + id);
                    return c.reply();
                }));
            }
            go.countDown();
            List<String> got = new ArrayList<>();
            for (Future<String> f : replies) {
                got.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(got).filteredOn(r -> r.equals("200 LOGIN " + id)).hasSize(1);
            assertThat(got).filteredOn(r -> r.startsWith("409 ")).hasSize(19);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void randomBinaryIsAnsweredWithRefusalsAndHarmsNoOne() throws Exception {
        String id = uniqueId("calm");
        ChatTestClient bystander = login(id);
        ChatTestClient attacker = connect();
        byte[] noise = new byte[200_000];
        new Random(42).nextBytes(noise);
        attacker.sendRaw(noise);
        bystanderIsServed(bystander, id);
        // A known last command (after ending whatever line the noise left open): its answer
        // comes after every answer to the noise, so all of those are in when it arrives.
        attacker.sendRaw("\r\nPING end\r\n".getBytes(StandardCharsets.US_ASCII));
        List<String> refusals = new ArrayList<>();
        for (String r = attacker.reply(); !r.equals("200 PONG end"); r = attacker.reply()) {
            refusals.add(r);
        }
        // About one line in 256 bytes: hundreds of lines, every one refused with a documented code.
        assertThat(refusals).hasSizeGreaterThan(100).allMatch(l -> l.matches("(400|413|429) .*"));
    }

    @Test
    void tenThousandPipelinedCommandsAreAnsweredOrRefusedInOrder() throws Exception {
        String id = uniqueId("steady");
        ChatTestClient bystander = login(id);
        ChatTestClient c = connect();
        c.sendRaw("PING p\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
        bystanderIsServed(bystander, id);
        assertThat(c.awaitClosed()).isTrue();
        List<String> lines = c.allLines();
        // Answers first (the burst), then 429s, then BYE flood: never out of order.
        int firstRefusal = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("429")).findFirst().orElseThrow());
        assertThat(lines.subList(1, firstRefusal)).allMatch(l -> l.equals("200 PONG p"));
        assertThat(lines).last().isEqualTo("BYE flood");
    }

    @Test
    void aDisconnectInTheMiddleOfACommandLeavesNothingBehind() throws Exception {
        String id = uniqueId("watcher");
        ChatTestClient bystander = login(id);
        for (int i = 0; i < 20; i++) {
            ChatTestClient c = login(uniqueId("halfway"));
            c.sendRaw(("MSG " + id + " this line never en").getBytes(StandardCharsets.US_ASCII));
            c.close();
        }
        bystanderIsServed(bystander, id);
        assertThat(bystander.eventsWithin(300)).noneMatch(e -> e.contains("never en"));
    }

    @Autowired
    io.chatmsg.chat.ChatService chat;

    @Autowired
    io.chatmsg.session.SessionRecorder sessions;

    @Test
    void anOperatorKickInTheMiddleOfABroadcastStormLosesNoAcknowledgedMessage() throws Exception {
        String sender = uniqueId("kstorm");
        String victimId = uniqueId("kvictim");
        ChatTestClient s = login(sender);
        ChatTestClient victim = login(victimId);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            burst.append("MSG ALL kick storm ").append(i).append("\r\n");
        }
        s.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        long victimSession = sessions.live().stream()
                .filter(l -> victimId.equals(l.clientId()))
                .findFirst()
                .orElseThrow()
                .id();
        assertThat(chat.kick(victimSession, io.chatmsg.chat.Kick.byOperator("test-operator", "mid-storm")))
                .isTrue();
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String ack = s.reply();
            assertThat(ack).matches("200 MSG \\d+ \\d+");
            acked.add(Long.parseLong(ack.split(" ")[2]));
        }
        assertThat(acked).allMatch(messages::existsById);
        assertThat(victim.awaitClosed()).isTrue();
        assertThat(victim.allLines()).last().isEqualTo("KICKED mid-storm");
    }

    @Test
    void fiftyWrongPasswordsAreRefusedAndThrottledWhileOthersAreServed() throws Exception {
        String owner = uniqueId("vault");
        ChatTestClient o = connect();
        o.send("REGISTER " + owner + " the-real-password");
        assertThat(o.reply()).startsWith("201");
        String id = uniqueId("onlooker");
        ChatTestClient bystander = login(id);
        ChatTestClient guesser = connect();
        for (int i = 0; i < 50; i++) {
            guesser.send("LOGIN " + owner + " guess-number-" + i);
        }
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            replies.add(guesser.reply());
        }
        assertThat(replies).allMatch(r -> r.equals("401 wrong password") || r.startsWith("429 "));
        assertThat(replies).anyMatch(r -> r.startsWith("429 "));
        bystanderIsServed(bystander, id);
        throttle.forgetAddress("127.0.0.1");
    }

    @Autowired
    io.chatmsg.account.LoginThrottle throttle;

    @Test
    void aReceiverLeavingInTheMiddleOfABroadcastStormLosesNoAcknowledgedMessage() throws Exception {
        String sender = uniqueId("storm");
        ChatTestClient s = login(sender);
        ChatTestClient victim = login(uniqueId("victim"));
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            burst.append("MSG ALL storm ").append(i).append("\r\n");
        }
        s.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        victim.close();
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String ack = s.reply();
            assertThat(ack).matches("200 MSG \\d+ \\d+");
            acked.add(Long.parseLong(ack.split(" ")[2]));
        }
        assertThat(acked).allMatch(messages::existsById);
    }
}
