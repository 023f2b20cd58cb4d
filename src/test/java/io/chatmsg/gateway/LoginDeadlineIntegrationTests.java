package io.chatmsg.gateway;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login deadline asks whether the connection has logged in, not whether the LOGIN's
 * reply is out yet: a LOGIN run in time whose reply waits behind slower replies before it
 * (here REGISTERs, each a BCrypt hash) is not closed with {@code BYE login timeout}.
 */
@TestPropertySource(properties = "chat.limits.login-deadline=200ms")
class LoginDeadlineIntegrationTests extends GatewayIntegrationTest {

    private static final int REGISTERS = 10;

    @Test
    void aLoginWhoseReplyIsStillOwedAtTheDeadlineIsNotClosed() throws Exception {
        ChatTestClient c = connect();
        String id = uniqueId("late-reply");
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < REGISTERS; i++) {
            batch.append("REGISTER ").append(uniqueId("reg")).append(" s3cret-pass\n");
        }
        batch.append("LOGIN ").append(id).append('\n');
        long start = System.nanoTime();
        c.sendRaw(batch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));

        for (int i = 0; i < REGISTERS; i++) {
            assertThat(c.reply()).startsWith("201 REGISTER ");
        }
        assertThat(c.reply()).isEqualTo("200 LOGIN " + id);
        // The test shows something only if the LOGIN's reply was owed past the deadline.
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThan(300);
        assertThat(c.send("PING still-here").reply()).isEqualTo("200 PONG still-here");
    }
}
