package io.chatmsg.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.MutableClock;
import io.chatmsg.support.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** REGISTER and password LOGIN (docs/protocol.md, Commands). */
@TestPropertySource(properties = {"chat.limits.login-failures=3", "chat.limits.login-backoff=2s"})
@Import(TestClock.class)
class AccountsIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    io.chatmsg.account.LoginThrottle throttle;

    /** Every test connects from 127.0.0.1: start each with a clean count of failures. */
    @org.junit.jupiter.api.BeforeEach
    void forgetFailures() {
        throttle.forgetAddress("127.0.0.1");
    }

    @Test
    void registeredIdNeedsItsPassword() throws Exception {
        String id = uniqueId("Reg");
        ChatTestClient c = connect();
        c.send("REGISTER " + id + " s3cret-pass");
        assertThat(c.reply()).isEqualTo("201 REGISTER " + id);

        ChatTestClient other = connect();
        other.send("LOGIN " + id).send("LOGIN " + id + " wrong-password").send("LOGIN " + id + " s3cret-pass");
        assertThat(other.reply()).startsWith("401 ");
        assertThat(other.reply()).isEqualTo("401 wrong password");
        assertThat(other.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void passwordIsStoredOnlyAsASlowSaltedHash() throws Exception {
        String id = uniqueId("hashed");
        ChatTestClient c = connect();
        c.send("REGISTER " + id + " plain-text-never");
        assertThat(c.reply()).startsWith("201");
        String hash =
                jdbc.queryForObject("SELECT password_hash FROM users WHERE id_key = ?", String.class, id.toLowerCase());
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("plain-text-never");
    }

    @Test
    void registerErrors() throws Exception {
        String id = uniqueId("taken");
        ChatTestClient c = connect();
        c.send("REGISTER " + id + " first-password");
        assertThat(c.reply()).startsWith("201");
        c.send("REGISTER " + id.toUpperCase() + " second-password");
        assertThat(c.reply()).startsWith("409 ");
        c.send("REGISTER " + uniqueId("x") + " short");
        assertThat(c.reply()).startsWith("400 ");
        c.send("REGISTER b@d longenough");
        assertThat(c.reply()).startsWith("400 ");
        c.send("REGISTER ALL longenough");
        assertThat(c.reply()).startsWith("400 ");
        c.send("REGISTER " + uniqueId("x"));
        assertThat(c.reply()).startsWith("400 ");
        c.send("REGISTER " + uniqueId("x") + " " + "p".repeat(129));
        assertThat(c.reply()).startsWith("400 ");

        String online = uniqueId("busy");
        login(online);
        c.send("REGISTER " + online + " longenough");
        assertThat(c.reply()).startsWith("403 ");
    }

    @Test
    void aConnectionMayRegisterOnlyAFewIdsEvenFromLoopback() throws Exception {
        ChatTestClient c = connect();
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            c.send("REGISTER " + uniqueId("many") + " many-passwords");
            replies.add(c.reply());
        }
        assertThat(replies.subList(0, 10)).allMatch(r -> r.startsWith("201 REGISTER "));
        assertThat(replies.subList(10, 12))
                .containsOnly("429 too many REGISTERs on this connection; try again in 20 s");
        // Loopback is exempt from the per-address allowance (exempt-loopback): another connection may.
        String next = uniqueId("many");
        ChatTestClient other = connect();
        other.send("REGISTER " + next + " many-passwords");
        assertThat(other.reply()).isEqualTo("201 REGISTER " + next);
    }

    @Test
    void aClientMayRegisterItsOwnIdWhileLoggedIn() throws Exception {
        String id = uniqueId("self");
        ChatTestClient c = login(id);
        c.send("REGISTER " + id + " my-own-password");
        assertThat(c.reply()).isEqualTo("201 REGISTER " + id);
    }

    @Test
    void wrongPasswordNeverRevealsWhetherTheIdIsOnline() throws Exception {
        String id = uniqueId("hidden");
        ChatTestClient owner = connect();
        owner.send("REGISTER " + id + " owner-password").send("LOGIN " + id + " owner-password");
        assertThat(owner.reply()).startsWith("201");
        assertThat(owner.reply()).isEqualTo("200 LOGIN " + id);
        ChatTestClient guesser = connect();
        guesser.send("LOGIN " + id + " guess-password");
        assertThat(guesser.reply()).isEqualTo("401 wrong password");
        guesser.send("LOGIN " + id + " owner-password");
        assertThat(guesser.reply()).startsWith("409 ");
    }

    @Test
    void repeatedFailuresFromOneAddressAreThrottledWithAGrowingBackOff() throws Exception {
        String id = uniqueId("locked");
        ChatTestClient c = connect();
        c.send("REGISTER " + id + " the-real-password");
        assertThat(c.reply()).startsWith("201");
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            c.send("LOGIN " + id + " wrong-" + i + "-password");
            replies.add(c.reply());
        }
        assertThat(replies.subList(0, 3)).allMatch(r -> r.equals("401 wrong password"));
        assertThat(replies.get(3)).startsWith("429 ");
        // Even the right password waits out the back-off...
        c.send("LOGIN " + id + " the-real-password");
        assertThat(c.reply()).startsWith("429 ");
        clock.advance(Duration.ofSeconds(5)); // past the back-off, on the server's clock
        // ...and then works, and clears the count.
        c.send("LOGIN " + id + " the-real-password");
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
    }

    @Test
    void passwordNeverShowsInTheProtocolCapture() throws Exception {
        String id = uniqueId("secret");
        ChatTestClient c = connect();
        c.send("REGISTER " + id + " hunter2-hunter2").send("LOGIN " + id + " hunter2-hunter2");
        assertThat(c.reply()).startsWith("201");
        assertThat(c.reply()).startsWith("200");
        String lines = sessionsCapture(id);
        assertThat(lines).contains("REGISTER " + id + " ********").contains("LOGIN " + id + " ********");
        assertThat(lines).doesNotContain("hunter2");
    }

    @Autowired
    io.chatmsg.session.SessionRecorder sessions;

    private String sessionsCapture(String id) {
        return sessions.live().stream()
                .filter(s -> id.equals(s.clientId()))
                .findFirst()
                .orElseThrow()
                .recentLines()
                .snapshot()
                .stream()
                .map(io.chatmsg.session.RecentLines.Entry::text)
                .reduce("", (a, b) -> a + "\n" + b);
    }
}
