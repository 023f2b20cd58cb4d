package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database queue far smaller than the traffic: bursts are slowed down
 * (reading stops), never refused, and replies stay in order.
 */
@TestPropertySource(properties = {"chat.store.queue-capacity=32", "chat.limits.max-pending-replies=4"})
class BackpressureIntegrationTests extends GatewayIntegrationTest {

    @Test
    void burstsFarLargerThanTheQueueAreAllAcknowledgedInOrder() throws Exception {
        String target = uniqueId("sink");
        ChatTestClient sink = login(target);
        List<ChatTestClient> senders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            senders.add(login(uniqueId("burst")));
        }
        for (ChatTestClient s : senders) {
            StringBuilder burst = new StringBuilder();
            for (int k = 0; k < 500; k++) {
                burst.append("MSG ")
                        .append(target)
                        .append(" b")
                        .append(k)
                        .append("\r\nPING ")
                        .append(k)
                        .append("\r\n");
            }
            s.sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        }
        for (ChatTestClient s : senders) {
            for (int k = 0; k < 500; k++) {
                assertThat(s.reply()).startsWith("200 MSG ");
                assertThat(s.reply()).isEqualTo("200 PONG " + k);
            }
        }
        for (int n = 0; n < 5000; n++) {
            sink.eventMatching(e -> e.startsWith("MSG "));
        }
    }
}
