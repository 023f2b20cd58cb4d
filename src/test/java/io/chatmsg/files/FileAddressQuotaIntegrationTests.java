package io.chatmsg.files;

import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sender's quota counts per address as well as per id: a new id from the
 * same address does not get a new quota. Loopback is not exempt here
 * ({@code exempt-loopback=false}), and 127.0.0.2 stands for another host.
 */
@TestPropertySource(
        properties = {
            "chat.limits.max-file-size=10KB",
            "chat.limits.file-quota=25KB",
            "chat.limits.exempt-loopback=false"
        })
class FileAddressQuotaIntegrationTests extends GatewayIntegrationTest {

    private static final int TEN_KB = 10 * 1024;

    @Test
    void switchingIdsDoesNotGetAroundTheQuota() throws Exception {
        String alice = uniqueId("alice");
        try (FileClient a = FileClient.login(gateway.port(), alice)) {
            assertThat(a.put(alice, "1.bin", new byte[TEN_KB])).startsWith("201 ");
            assertThat(a.put(alice, "2.bin", new byte[TEN_KB])).startsWith("201 ");
        }
        String other = uniqueId("mallory");
        try (FileClient m = FileClient.login(gateway.port(), other)) {
            // Its own id is well under the quota; its address is not.
            assertThat(m.put(alice, "3.bin", new byte[TEN_KB]))
                    .isEqualTo("413 over your address's file quota; ask an operator to delete old files");
            assertThat(m.put(alice, "small.bin", new byte[TEN_KB / 2])).startsWith("201 ");
            assertThat(m.command("PING in sync")).isEqualTo("200 PONG in sync");
        }
        // Another address has a quota of its own.
        try (FileClient far = new FileClient(gateway.port(), "127.0.0.2")) {
            String carol = uniqueId("carol");
            assertThat(far.command("LOGIN " + carol)).isEqualTo("200 LOGIN " + carol);
            assertThat(far.put(alice, "4.bin", new byte[TEN_KB])).startsWith("201 ");
            assertThat(far.put(alice, "5.bin", new byte[TEN_KB])).startsWith("201 ");
        }
    }
}
