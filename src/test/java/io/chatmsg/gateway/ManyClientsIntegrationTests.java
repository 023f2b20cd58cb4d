package io.chatmsg.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManyClientsIntegrationTests extends GatewayIntegrationTest {

    private static final int CLIENTS = 200;
    private static final int MESSAGES_EACH = 20;

    @Test
    void twoHundredClientsTimesTwentyMessagesAreEachDeliveredExactlyOnce() throws Exception {
        String prefix = uniqueId("load") + "-";
        List<ChatTestClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(login(prefix + i));
        }
        // Every client sends its twenty messages in one burst, all at once.
        for (int i = 0; i < CLIENTS; i++) {
            StringBuilder burst = new StringBuilder();
            for (int k = 1; k <= MESSAGES_EACH; k++) {
                int to = (i + k) % CLIENTS;
                burst.append("MSG ")
                        .append(prefix)
                        .append(to)
                        .append(" m ")
                        .append(i)
                        .append(' ')
                        .append(k)
                        .append("\r\n");
            }
            clients.get(i).sendRaw(burst.toString().getBytes(StandardCharsets.US_ASCII));
        }
        Set<Long> ids = new HashSet<>();
        for (ChatTestClient c : clients) {
            for (int k = 0; k < MESSAGES_EACH; k++) {
                String ack = c.reply();
                assertThat(ack).startsWith("200 MSG ");
                assertThat(ids.add(Long.parseLong(ack.substring(8))))
                        .as("message ids are unique")
                        .isTrue();
            }
        }
        for (int r = 0; r < CLIENTS; r++) {
            ChatTestClient c = clients.get(r);
            Map<String, Integer> seen = new HashMap<>();
            for (int k = 0; k < MESSAGES_EACH; k++) {
                String e = c.eventMatching(l -> l.startsWith("MSG "));
                seen.merge(e, 1, Integer::sum);
            }
            Set<String> expected = new HashSet<>();
            for (int k = 1; k <= MESSAGES_EACH; k++) {
                int from = Math.floorMod(r - k, CLIENTS);
                expected.add("MSG " + prefix + from + " " + prefix + r + " m " + from + " " + k);
            }
            assertThat(seen.keySet()).isEqualTo(expected);
            assertThat(seen.values()).allMatch(n -> n == 1);
        }
        // Nothing more: no duplicates trailing behind.
        Thread.sleep(300);
        for (ChatTestClient c : clients) {
            assertThat(c.eventsWithin(1)).noneMatch(l -> l.startsWith("MSG "));
        }
    }
}
