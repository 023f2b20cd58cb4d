package io.chatmsg.files;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.chatmsg.support.FileClient;
import io.chatmsg.support.ForkedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file larger than the server's whole heap goes up and comes back intact:
 * proof that bodies are streamed to and from disk, never held in memory.
 */
class LargeFileMemoryTests {

    private static final int MB = 1024 * 1024;
    private static final int SIZE_MB = 192;

    @Test
    void aFileLargerThanTheHeapGoesUpAndComesBack(@TempDir Path dataDir) throws Exception {
        try (ForkedGateway server = ForkedGateway.startWithHeap("96m", dataDir)) {
            int port = server.awaitPort();
            byte[] block = new byte[MB];
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            try (FileClient alice = FileClient.login(port, "alice")) {
                OutputStream out = alice.output();
                out.write(("PUT alice " + (long) SIZE_MB * MB + " big.bin\r\n").getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < SIZE_MB; i++) {
                    block[0] = (byte) i;
                    block[MB - 1] = (byte) (i * 7);
                    sent.update(block);
                    out.write(block);
                }
                out.flush();
                String id = FileClient.fileId(alice.reply());

                alice.send("GET " + id);
                assertThat(alice.reply()).isEqualTo("200 GET " + id + " " + (long) SIZE_MB * MB + " big.bin");
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                InputStream in = alice.input();
                long left = (long) SIZE_MB * MB;
                byte[] buf = new byte[64 * 1024];
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    assertThat(n).as("body ended early").isPositive();
                    received.update(buf, 0, n);
                    left -= n;
                }
                String digest = HexFormat.of().formatHex(sent.digest());
                assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(digest);
                assertThat(alice.command("PING")).isEqualTo("200 PONG");
            }
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
            try (var stored = Files.list(dataDir.resolve("files"))) {
                assertThat(stored.filter(Files::isRegularFile)
                                .mapToLong(p -> p.toFile().length()))
                        .containsExactly((long) SIZE_MB * MB);
            }
        }
    }
}
