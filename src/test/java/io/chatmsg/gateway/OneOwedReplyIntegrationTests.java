package io.chatmsg.gateway;

import java.time.Duration;
import java.util.Random;

import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * With {@code max-pending-replies=1} (its lowest allowed value) the PUT's own reply is the one
 * owed while its body arrives: the body must still be read, or the reply it waits for never comes.
 */
@TestPropertySource(properties = "chat.limits.max-pending-replies=1")
class OneOwedReplyIntegrationTests extends GatewayIntegrationTest {

    @Test
    void aPutsBodyIsReadWhileItsOwnReplyIsOwed() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        byte[] body = new byte[200_000];
        new Random(3).nextBytes(body);
        try (FileClient b = FileClient.login(gateway.port(), bob);
                FileClient a = FileClient.login(gateway.port(), alice)) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThat(a.put(bob, "x.bin", body)).startsWith("201 PUT ");
                assertThat(a.command("PING after")).isEqualTo("200 PONG after");
            });
        }
    }
}
