package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.UdpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Return routability over UDP: a LOGIN from an address that has not proved it
 * receives datagrams gets one short {@code 428 VERIFY <cookie>} and nothing
 * else — no session, no events, nothing toward the address's bans and limits —
 * so a LOGIN with a forged source address reflects one small datagram. Loopback
 * is held to the flapping and per-address limits here, as a public address is.
 */
@TestPropertySource(
        properties = {
            "chat.limits.exempt-loopback=false",
            "chat.limits.flap-limit=40",
            "chat.limits.max-connections-per-address=50"
        })
class UdpVerifyIntegrationTests extends GatewayIntegrationTest {

    private UdpTestClient udp() throws Exception {
        return new UdpTestClient(gateway.udpPort());
    }

    @Test
    void aLoginFromAnUnprovedAddressGetsOneVerifyDatagramNoLongerThanItPlus40Bytes() throws Exception {
        try (UdpTestClient u = udp()) {
            String login = "LOGIN " + uniqueId("v") + "\n";
            u.sendRaw(login.getBytes(StandardCharsets.US_ASCII));

            String reply = u.receive();
            assertThat(reply).matches("428 VERIFY [A-Za-z0-9_-]{16}\r\n");
            assertThat(reply.getBytes(StandardCharsets.US_ASCII).length).isLessThanOrEqualTo(login.length() + 40);
            // Nothing else came: the next datagram is the answer to the next one sent.
            u.send("PING after");
            assertThat(u.receive()).isEqualTo("200 PONG after\r\n");
        }
    }

    @Test
    void anUnprovedLoginOpensNoSessionAndNoEventsFlowToItsAddress() throws Exception {
        String forged = uniqueId("forged");
        ChatTestClient tcp = login(uniqueId("talker"));
        try (UdpTestClient u = udp()) {
            u.send("LOGIN " + forged);
            assertThat(u.receive()).startsWith("428 VERIFY ");

            tcp.send("WHO");
            assertThat(tcp.multiLineReply()).doesNotContain("200-" + forged);
            tcp.send("MSG " + forged + " are you there");
            assertThat(tcp.reply()).isEqualTo("404 no such client " + forged);
            tcp.send("MSG ALL to everyone");
            assertThat(tcp.reply()).matches("200 MSG \\d+ \\d+");
            u.send("MSG ALL me too");
            assertThat(u.receive()).startsWith("401");
            u.send("PING last");
            assertThat(u.receive()).isEqualTo("200 PONG last\r\n");
        }
    }

    @Test
    void unprovedLoginsFromManyPortsNeitherBanTheAddressNorUseItsConnectionSlots() throws Exception {
        List<UdpTestClient> forged = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                UdpTestClient u = udp();
                forged.add(u);
                u.send("LOGIN " + uniqueId("flap"));
            }
            for (UdpTestClient u : forged) {
                assertThat(u.receive()).startsWith("428 VERIFY ");
            }
        } finally {
            forged.forEach(UdpTestClient::close);
        }
        // 100 sessions would be over the flap limit (40 a minute) and the per-address cap (50).
        ChatTestClient tcp = connect();
        tcp.send("PING still-welcome");
        assertThat(tcp.reply()).isEqualTo("200 PONG still-welcome");
        try (UdpTestClient u = udp()) {
            String me = uniqueId("after");
            assertThat(u.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
        }
    }

    @Test
    void aCookieIsRefusedFromAnotherPortAndWhenMangled() throws Exception {
        try (UdpTestClient a = udp();
                UdpTestClient b = udp()) {
            a.send("LOGIN " + uniqueId("a"));
            String cookie = a.receive().substring("428 VERIFY ".length()).strip();

            b.send("VERIFY " + cookie);
            assertThat(b.receive()).isEqualTo("403 wrong or stale cookie\r\n");
            b.send("VERIFY " + "A".repeat(16));
            assertThat(b.receive()).startsWith("403");
            b.send("LOGIN " + uniqueId("b"));
            assertThat(b.receive()).startsWith("428 VERIFY ");

            a.verify(cookie);
        }
    }

    @Test
    void verifyThenLoginThenChatLogoffAndLoginAgainWithoutAnotherVerify() throws Exception {
        String me = uniqueId("happy");
        String other = uniqueId("other");
        ChatTestClient tcp = login(other);
        try (UdpTestClient u = udp()) {
            u.send("LOGIN " + me);
            String challenge = u.receive();
            assertThat(challenge).startsWith("428 VERIFY ");
            u.send("VERIFY " + challenge.substring("428 VERIFY ".length()).strip());
            assertThat(u.receive()).isEqualTo("200 VERIFY\r\n");
            u.send("LOGIN " + me);
            assertThat(u.receive()).isEqualTo("200 LOGIN " + me + "\r\n");
            assertThat(tcp.eventMatching(e -> e.equals("JOIN " + me))).isNotNull();

            u.send("WHO");
            assertThat(String.join("", u.receiveUntilFinal("200"))).contains("200-" + me + "\r\n", "200-" + other);
            u.send("MSG " + other + " over udp");
            assertThat(u.receiveSkippingPresence()).startsWith("200 MSG ");
            assertThat(tcp.eventMatching(e -> e.startsWith("MSG "))).isEqualTo("MSG " + me + " " + other + " over udp");
            tcp.send("MSG " + me + " back");
            assertThat(tcp.reply()).startsWith("200 MSG ");
            assertThat(u.receiveSkippingPresence()).isEqualTo("MSG " + other + " " + me + " back\r\n");

            u.send("LOGOFF " + me);
            assertThat(u.receiveSkippingPresence()).isEqualTo("200 LOGOFF " + me + "\r\n");
            u.send("LOGIN " + me);
            assertThat(u.receiveSkippingPresence()).isEqualTo("200 LOGIN " + me + "\r\n");
        }
    }

    @Test
    void verifyOverTcpIsABadRequest() throws Exception {
        ChatTestClient tcp = connect();
        tcp.send("VERIFY q7Jx2mK9vLr4abcd");
        assertThat(tcp.reply()).isEqualTo("400 VERIFY is only used over UDP");
    }

    @Test
    void aFloodOfUnprovedLoginsFromManyPortsDoesNotDelayABystander() throws Exception {
        try (UdpTestClient bystander = udp()) {
            String me = uniqueId("bystander");
            assertThat(bystander.login(me)).isEqualTo("200 LOGIN " + me + "\r\n");
            List<Double> quiet = pingRoundTrips(bystander, 20);
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(flooding, sent));
            List<Double> rtts;
            try {
                rtts = pingRoundTrips(bystander, 40);
            } finally {
                flooding.set(false);
                flood.get(30, TimeUnit.SECONDS);
            }
            try (UdpTestClient late = udp()) {
                String other = uniqueId("late");
                assertThat(late.login(other)).isEqualTo("200 LOGIN " + other + "\r\n");
            }
            System.out.printf(
                    "bystander PING round trip: %s without a flood; %s during a flood of %d unproved LOGINs%n",
                    summary(quiet), summary(rtts), sent.get());
            assertThat(sent.get()).isGreaterThan(2000);
        }
    }

    /** {@code n} PINGs 50 ms apart, each to be answered within 3 s; their round trips in ms. */
    private static List<Double> pingRoundTrips(UdpTestClient u, int n) throws Exception {
        List<Double> rtts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            u.send("PING " + i);
            assertThat(u.receive(3000)).as("PING %d", i).isEqualTo("200 PONG " + i + "\r\n");
            rtts.add((System.nanoTime() - start) / 1e6);
            Thread.sleep(50);
        }
        return rtts;
    }

    private static String summary(List<Double> rtts) {
        List<Double> sorted = new ArrayList<>(rtts);
        Collections.sort(sorted);
        return String.format(
                "median %.2f ms, 90%% %.2f ms, max %.2f ms",
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 9 / 10), sorted.get(sorted.size() - 1));
    }

    /** About 4,000 LOGINs a second, round-robin over 200 ports, each a new id, until told to stop. */
    private void flood(AtomicBoolean flooding, AtomicInteger sent) {
        List<UdpTestClient> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                sockets.add(udp());
            }
            long next = System.nanoTime();
            while (flooding.get()) {
                for (int i = 0; i < 40; i++) {
                    sockets.get(sent.get() % sockets.size()).send("LOGIN flood" + sent.getAndIncrement());
                }
                next += TimeUnit.MILLISECONDS.toNanos(10);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            sockets.forEach(UdpTestClient::close);
        }
    }
}
