package io.chatmsg.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chat.limits.max-file-storage}: all stored files together, uploads under
 * way included, refused at the PUT line ({@code 413 server file storage full})
 * before a byte of the body reaches the disk. The only test of its context, so
 * the storage it counts is its own.
 */
@TestPropertySource(
        properties = {
            "chat.limits.max-file-size=10KB",
            "chat.limits.file-quota=25KB",
            "chat.limits.max-file-storage=40KB"
        })
class FileStorageLimitsIntegrationTests extends GatewayIntegrationTest {

    private static final int TEN_KB = 10 * 1024;

    @Autowired
    FileStore store;

    @Test
    void theTotalCountsEverySenderAndUploadsUnderWay() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        try (FileClient a = FileClient.login(gateway.port(), alice);
                FileClient b = FileClient.login(gateway.port(), bob)) {
            assertThat(a.put(alice, "1.bin", new byte[TEN_KB])).startsWith("201 ");
            assertThat(a.put(alice, "2.bin", new byte[TEN_KB])).startsWith("201 ");
            // carol's upload is under way: half its body sent, its 10 KB already reserved.
            FileClient c = FileClient.login(gateway.port(), uniqueId("carol"));
            c.sendRaw(("PUT " + alice + " " + TEN_KB + " big.bin\r\n").getBytes(StandardCharsets.UTF_8));
            c.sendRaw(new byte[TEN_KB / 2]);
            Awaitility.await().until(() -> store.storageUsed() == 3L * TEN_KB);
            assertThat(b.put(alice, "3.bin", new byte[TEN_KB])).startsWith("201 ");
            // 40 KB: nothing more fits, whoever sends it, and the stream stays in sync.
            assertThat(b.put(alice, "4.bin", new byte[1])).isEqualTo("413 server file storage full");
            assertThat(b.command("PING in sync")).isEqualTo("200 PONG in sync");
            assertThat(a.put(bob, "5.bin", new byte[1])).isEqualTo("413 server file storage full");
            // carol gives up: her reservation is freed, and 10 KB fit again.
            closeQuietly(c);
            Awaitility.await().until(() -> store.storageUsed() == 3L * TEN_KB);
            assertThat(b.put(alice, "6.bin", new byte[TEN_KB])).startsWith("201 ");
        }
    }

    private static void closeQuietly(FileClient c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing to abandon the upload
        }
    }
}
