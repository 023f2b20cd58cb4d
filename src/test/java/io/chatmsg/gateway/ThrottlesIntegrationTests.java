package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-address throttles with their default values, loopback held to them: each
 * test connects from loopback addresses of its own (127.1.x.y), standing for hosts.
 */
@TestPropertySource(properties = "chat.limits.exempt-loopback=false")
class ThrottlesIntegrationTests extends GatewayIntegrationTest {

    @Test
    void loggingInToYourOwnIdBetweenGuessesNoLongerResetsTheAddresssFailures() throws Exception {
        List<String> victims = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            victims.add(registered(uniqueId("victim"), "victim-password"));
        }
        String mine = registered(uniqueId("mine"), "my-own-password");
        ChatTestClient c = connectFrom(freshAddress());
        List<String> replies = new ArrayList<>();
        for (int cycle = 0; cycle < 3; cycle++) {
            for (String victim : victims) {
                c.send("LOGIN " + victim + " guess-" + cycle + "-password");
                replies.add(c.reply());
            }
            c.send("LOGIN " + mine + " my-own-password");
            replies.add(c.reply());
            if (replies.get(replies.size() - 1).startsWith("200")) {
                c.send("LOGOFF " + mine);
                assertThat(c.reply()).startsWith("200 LOGOFF");
            }
        }
        String wrong = "401 wrong password";
        // After 5 failed checks from the address, the login in between notwithstanding: 429.
        assertThat(replies.subList(0, 6)).containsExactly(wrong, wrong, wrong, wrong, "200 LOGIN " + mine, wrong);
        assertThat(replies.get(6)).startsWith("429 too many failed logins; try again in ");
    }

    @Test
    void aRegisterFloodFromOneAddressGets429WhileABystandersLoginIsServed() throws Exception {
        String bystander = registered(uniqueId("bystander"), "bystander-password");
        String flooder = freshAddress();
        List<ChatTestClient> floods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            floods.add(connectFrom(flooder));
        }
        int ticks = 100; // 10 s: every 100 ms, 10 REGISTERs on each connection, 400 a second in all
        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            try {
                for (int t = 0; t < ticks; t++) {
                    for (ChatTestClient f : floods) {
                        StringBuilder lines = new StringBuilder();
                        for (int i = 0; i < 10; i++) {
                            lines.append("REGISTER ").append(uniqueId("flood")).append(" flood-password\r\n");
                        }
                        f.sendRaw(lines.toString().getBytes(StandardCharsets.US_ASCII));
                    }
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(floods.get(0).reply()); // the flood is under way
        }

        ChatTestClient b = connectFrom(freshAddress());
        long start = System.nanoTime();
        b.send("LOGIN " + bystander + " bystander-password");
        assertThat(b.reply()).isEqualTo("200 LOGIN " + bystander);
        long loginMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        flood.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < floods.size(); i++) {
            for (int n = i == 0 ? 20 : 0; n < ticks * 10; n++) {
                replies.add(floods.get(i).reply());
            }
        }
        long created =
                replies.stream().filter(r -> r.startsWith("201 REGISTER ")).count();
        System.out.printf(
                "REGISTER flood, 4 connections from one address, 400/s for 10 s: %d of %d created;"
                        + " a bystander's password LOGIN meanwhile took %d ms%n",
                created, replies.size(), loginMillis);
        assertThat(created).isEqualTo(5); // chat.limits.register-burst, and none earned in 10 s
        assertThat(replies)
                .filteredOn(r -> !r.startsWith("201 "))
                .allMatch(r -> r.startsWith("429 too many REGISTERs "));
        assertThat(loginMillis).isLessThan(5000);
    }

    @Test
    void aHundredAndTwentyConnectionsAtOnceFromOneAddressMeetTheCapNotABan() throws Exception {
        String nat = freshAddress();
        List<String> firstLines = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            firstLines.add(connectRawFrom(nat).event());
        }
        assertThat(firstLines.subList(0, 100)).allMatch(l -> l.startsWith("HELLO CHAT-MSG/1 "));
        assertThat(firstLines.subList(100, 120)).containsOnly("BYE too many connections from your address");
    }

    /** {@code id}, registered with {@code password} from an address of its own. */
    private String registered(String id, String password) throws Exception {
        try (ChatTestClient c = ChatTestClient.connectFrom(freshAddress(), gateway.port())) {
            c.send("REGISTER " + id + " " + password);
            assertThat(c.reply()).isEqualTo("201 REGISTER " + id);
        }
        return id;
    }
}
