package io.chatmsg.files;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.MutableClock;
import io.chatmsg.support.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The size limit and the quota: 413, with the body read and dropped so the connection stays usable. */
@TestPropertySource(
        properties = {"chat.limits.max-file-size=10KB", "chat.limits.file-quota=25KB", "chat.files.retention=1s"})
@Import(TestClock.class)
class FileLimitsIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    FileStore store;

    @Autowired
    io.chatmsg.config.ChatProperties chat;

    @Test
    void anOversizedUploadIs413AndItsBodyIsDiscarded() throws Exception {
        String alice = uniqueId("alice");
        byte[] tooBig = new byte[10 * 1024 + 1];
        // The body is full of commands: none of them may run.
        byte[] lines = "MSG ALL not from the body\r\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + lines.length <= tooBig.length; i += lines.length) {
            System.arraycopy(lines, 0, tooBig, i, lines.length);
        }
        try (FileClient a = FileClient.login(gateway.port(), alice)) {
            assertThat(a.put(alice, "big.bin", tooBig))
                    .isEqualTo("413 file too large: 10241 bytes, the limit is 10240");
            assertThat(a.command("PING still in sync")).isEqualTo("200 PONG still in sync");
            assertThat(a.put(alice, "fits.bin", new byte[10 * 1024])).startsWith("201 PUT ");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM messages WHERE text = 'not from the body'", Long.class))
                .isZero();
    }

    @Test
    void theQuotaCountsWhatASenderStillHasStored() throws Exception {
        String bob = uniqueId("bob");
        try (FileClient b = FileClient.login(gateway.port(), bob)) {
            byte[] eight = new byte[8 * 1024];
            assertThat(b.put(bob, "1.bin", eight)).startsWith("201 ");
            assertThat(b.put(bob, "2.bin", eight)).startsWith("201 ");
            assertThat(b.put(bob, "3.bin", eight)).startsWith("201 ");
            assertThat(b.put(bob, "4.bin", eight)).startsWith("413 over your file quota");
            assertThat(b.command("PING")).isEqualTo("200 PONG");
            // Another sender has a quota of its own.
            try (FileClient c = FileClient.login(gateway.port(), uniqueId("carol"))) {
                assertThat(c.put(bob, "c.bin", eight)).startsWith("201 ");
            }
        }
    }

    @Test
    void filesOlderThanTheRetentionAreDeletedWithTheirRowsAndFreeTheQuota() throws Exception {
        String dave = uniqueId("dave");
        try (FileClient d = FileClient.login(gateway.port(), dave)) {
            String id = FileClient.fileId(d.put(dave, "old.bin", new byte[10 * 1024]));
            clock.advance(Duration.ofSeconds(2)); // past the retention, on the server's clock
            store.expire();
            org.awaitility.Awaitility.await()
                    .until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM files WHERE id = ?", Long.class, id) == 0);
            assertThat(java.nio.file.Files.exists(
                            chat.dataDir().resolve("files").resolve(id)))
                    .isFalse();
            assertThat(d.get(id).reply()).isEqualTo("404 no such file " + id);
            // Its 10 KB no longer count: two more fit in the 25 KB quota.
            assertThat(d.put(dave, "a.bin", new byte[10 * 1024])).startsWith("201 ");
            assertThat(d.put(dave, "b.bin", new byte[10 * 1024])).startsWith("201 ");
        }
    }
}
