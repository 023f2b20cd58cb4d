package io.chatmsg.gateway;

import java.util.List;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idle-timeout=0} turns the idle PING off (as a zero reader-idle time did), while the
 * latency probes still go out; an unanswered probe never closes the connection.
 */
@TestPropertySource(
        properties = {
            "chat.limits.idle-timeout=0s",
            "chat.limits.ping-timeout=300ms",
            "chat.latency.interval=200ms",
            "chat.latency.inactive-after=500ms"
        })
class NoIdleTimeoutIntegrationTests extends GatewayIntegrationTest {

    @Test
    void probesGoOutAndASilentClientIsNeverClosed() throws Exception {
        ChatTestClient c = connect();
        List<String> lines = c.eventsWithin(2000);

        assertThat(lines).filteredOn(l -> l.startsWith("PING ")).hasSizeBetween(2, 10);
        assertThat(lines).noneMatch(l -> l.startsWith("BYE"));
        assertThat(c.send("PING still-here").reply()).isEqualTo("200 PONG still-here");
    }
}
