package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as reading for the idle PING (as with the idle-state handler before it):
 * bytes read, not complete lines. A line that trickles in is the line deadline's business.
 */
@TestPropertySource(properties = {"chat.limits.idle-timeout=300ms", "chat.limits.ping-timeout=700ms"})
class HeartbeatReadingIntegrationTests extends GatewayIntegrationTest {

    @Test
    void bytesOfALineStillUnderWayKeepTheConnectionFromIdling() throws Exception {
        ChatTestClient c = connect();
        byte[] line = "PING trickle-trickle\n".getBytes(StandardCharsets.US_ASCII);
        for (byte b : line) {
            c.sendRaw(new byte[] {b});
            Thread.sleep(100); // 2.1 s in all: seven idle periods, had the bytes not counted
        }
        assertThat(c.reply()).isEqualTo("200 PONG trickle-trickle");
        assertThat(c.allLines()).noneMatch(l -> l.startsWith("PING ") || l.startsWith("BYE"));
    }
}
