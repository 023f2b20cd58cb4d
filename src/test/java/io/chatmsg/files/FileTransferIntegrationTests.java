package io.chatmsg.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.chatmsg.config.ChatProperties;
import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PUT, GET and FILE (docs/protocol.md) over real sockets, with the files on disk and their rows. */
class FileTransferIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ChatProperties chat;

    private int port() {
        return gateway.port();
    }

    @Test
    void fileGoesToAnOnlineRecipientAndComesBackByteForByte() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        // Lines inside the body must not be taken for commands.
        System.arraycopy("\r\nQUIT\r\nMSG x y\n".getBytes(StandardCharsets.US_ASCII), 0, body, 1000, 16);
        try (FileClient a = FileClient.login(port(), alice);
                FileClient b = FileClient.login(port(), bob)) {
            String reply = a.put(bob, "holiday photo.jpg", body);
            String id = FileClient.fileId(reply);
            assertThat(a.command("PING after")).isEqualTo("200 PONG after");

            assertThat(b.eventSkippingPresence())
                    .isEqualTo("FILE " + alice + " " + bob + " " + id + " 300000 holiday photo.jpg");
            FileClient.Fetched got = b.get(id);
            assertThat(got.reply()).isEqualTo("200 GET " + id + " 300000 holiday photo.jpg");
            assertThat(got.body()).isEqualTo(body);
            assertThat(b.command("PING next")).isEqualTo("200 PONG next");

            Map<String, Object> row = jdbc.queryForMap("SELECT * FROM files WHERE id = ?", id);
            assertThat(row.get("SHA256")).isEqualTo(FileClient.sha256(body));
            assertThat(row.get("SIZE_BYTES")).isEqualTo(300_000L);
            assertThat(row.get("FROM_ID")).isEqualTo(alice);
            assertThat(row.get("TO_ID")).isEqualTo(bob);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                            jdbc.queryForObject("SELECT downloaded_at FROM files WHERE id = ?", Object.class, id))
                    .isNotNull());
            assertThat(Files.readAllBytes(chat.dataDir().resolve("files").resolve(id)))
                    .isEqualTo(body);
            // The sender may fetch its own file too.
            assertThat(a.get(id).body()).isEqualTo(body);
        }
    }

    @Test
    void emptyFileAndPipelinedCommandsAfterTheBody() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        try (FileClient b = FileClient.login(port(), bob);
                FileClient a = FileClient.login(port(), alice)) {
            a.sendRaw(("PUT " + bob + " 0 empty.txt\nPUT " + bob + " 3 abc.txt\nabcPING x\nWHO\n")
                    .getBytes(StandardCharsets.UTF_8));
            String empty = FileClient.fileId(a.reply());
            String abc = FileClient.fileId(a.reply());
            assertThat(a.reply()).isEqualTo("200 PONG x");
            assertThat(a.reply()).startsWith("200-");
            assertThat(b.eventSkippingPresence()).endsWith(" " + empty + " 0 empty.txt");
            assertThat(b.eventSkippingPresence()).endsWith(" " + abc + " 3 abc.txt");
            assertThat(b.get(empty).body()).isEmpty();
            assertThat(new String(b.get(abc).body(), StandardCharsets.UTF_8)).isEqualTo("abc");
        }
    }

    @Test
    void offlineRecipientGetsTheFileEventAtItsNextLoginOnce() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        try (FileClient b = FileClient.login(port(), bob)) {
            b.command("LOGOFF " + bob);
        }
        String id;
        try (FileClient a = FileClient.login(port(), alice)) {
            a.command("MSG " + bob + " sending you a file");
            id = FileClient.fileId(a.put(bob, "report.pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)));
        }
        try (FileClient b = new FileClient(port())) {
            assertThat(b.command("LOGIN " + bob)).isEqualTo("200 LOGIN " + bob);
            assertThat(b.eventSkippingPresence()).isEqualTo("MSG " + alice + " " + bob + " sending you a file");
            assertThat(b.eventSkippingPresence()).isEqualTo("FILE " + alice + " " + bob + " " + id + " 8 report.pdf");
            assertThat(b.get(id).body()).asString(StandardCharsets.US_ASCII).isEqualTo("%PDF-1.4");
            // Leave explicitly: closing the socket alone races the next LOGIN (409).
            assertThat(b.command("LOGOFF " + bob)).isEqualTo("200 LOGOFF " + bob);
        }
        try (FileClient b = new FileClient(port())) {
            assertThat(b.command("LOGIN " + bob)).isEqualTo("200 LOGIN " + bob);
            assertThat(b.command("PING")).isEqualTo("200 PONG");
            assertThat(b.events()).noneMatch(e -> e.startsWith("FILE "));
        }
    }

    @Test
    void fileToAllReachesEveryoneOnlineAndAnyLoggedInClientMayFetchIt() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        String carol = uniqueId("carol");
        try (FileClient b = FileClient.login(port(), bob);
                FileClient a = FileClient.login(port(), alice)) {
            String id = FileClient.fileId(a.put("ALL", "notes.md", "# hi".getBytes(StandardCharsets.UTF_8)));
            String event = b.eventSkippingPresence();
            assertThat(event).isEqualTo("FILE " + alice + " ALL " + id + " 4 notes.md");
            try (FileClient c = FileClient.login(port(), carol)) {
                assertThat(c.get(id).body()).asString(StandardCharsets.UTF_8).isEqualTo("# hi");
            }
        }
    }

    @Test
    void getOfAnUnknownIdIs404AndOfSomeoneElsesFileIs403() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        String eve = uniqueId("eve");
        try (FileClient a = FileClient.login(port(), alice);
                FileClient b = FileClient.login(port(), bob);
                FileClient e = FileClient.login(port(), eve)) {
            String id = FileClient.fileId(a.put(bob, "secret.txt", "s3cret".getBytes(StandardCharsets.UTF_8)));
            assertThat(e.get(id).reply()).isEqualTo("403 file " + id + " was not sent to you");
            assertThat(e.get("zzzzzzzzzzzz").reply()).isEqualTo("404 no such file zzzzzzzzzzzz");
            assertThat(e.get(id.toUpperCase()).reply()).startsWith("403 ");
            assertThat(e.command("GET ../../etc/passwd")).startsWith("400 bad file id");
            assertThat(e.command("PING")).isEqualTo("200 PONG");
        }
        try (FileClient anonymous = new FileClient(port())) {
            assertThat(anonymous.command("GET abc")).isEqualTo("401 not logged in");
        }
    }

    @Test
    void refusedPutsStillConsumeTheirBodySoTheStreamStaysInSync() throws Exception {
        String alice = uniqueId("alice");
        byte[] body = "LOGIN mallory\r\nWHO\r\n".getBytes(StandardCharsets.UTF_8);
        try (FileClient a = FileClient.login(port(), alice)) {
            assertThat(a.put(uniqueId("nobody"), "x.txt", body)).startsWith("404 no such client ");
            assertThat(a.command("PING 1")).isEqualTo("200 PONG 1");
            assertThat(a.put(alice, "../x.txt", body)).startsWith("400 bad name");
            assertThat(a.command("PING 2")).isEqualTo("200 PONG 2");
            assertThat(a.put(alice, "..", body)).startsWith("400 bad name");
            assertThat(a.put(alice, "", body)).isEqualTo("400 PUT needs a file name");
            assertThat(a.command("PING 3")).isEqualTo("200 PONG 3");
            // A malformed size reads no body: the next line is a command again.
            a.sendRaw("PUT bob -5 x.txt\r\nPING 4\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(a.reply()).startsWith("400 bad size -5");
            assertThat(a.reply()).isEqualTo("200 PONG 4");
            // Invalid UTF-8 in the name: 400, and the body is still read.
            a.sendRaw(concat(
                    ("PUT " + alice + " 5 bad\u00ff").getBytes(StandardCharsets.ISO_8859_1),
                    "\r\nhello".getBytes(StandardCharsets.UTF_8)));
            assertThat(a.reply()).isEqualTo("400 invalid UTF-8");
            assertThat(a.command("PING 5")).isEqualTo("200 PONG 5");
        }
    }

    @Test
    void aPutCutOffHalfWayLeavesNoFileAndNoRow() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        try (FileClient b = FileClient.login(port(), bob)) {
            b.command("LOGOFF " + bob);
        }
        long rowsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM files", Long.class);
        try (FileClient a = FileClient.login(port(), alice)) {
            a.sendRaw(("PUT " + bob + " 1000000 big.bin\r\n").getBytes(StandardCharsets.UTF_8));
            a.sendRaw(new byte[400_000]);
            // The upload is under way: a part file exists in incoming/.
            await().atMost(Duration.ofSeconds(5)).until(() -> countFiles(incoming()) == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> countFiles(incoming()) == 0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM files", Long.class))
                .isEqualTo(rowsBefore);
        // Alice's own rows: other tests in this context send files named big.bin too.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM files WHERE from_id = ?", Long.class, alice))
                .isZero();
        try (Stream<Path> stored = Files.list(chat.dataDir().resolve("files"))) {
            assertThat(stored.filter(Files::isRegularFile).count()).isEqualTo(rowsBefore);
        }
        try (FileClient b = FileClient.login(port(), bob)) {
            assertThat(b.command("PING")).isEqualTo("200 PONG");
            assertThat(b.events()).noneMatch(e -> e.startsWith("FILE "));
        }
    }

    @Test
    void eventsWaitUntilADownloadHasEnded() throws Exception {
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(11).nextBytes(body);
        try (FileClient a = FileClient.login(port(), alice);
                FileClient b = FileClient.login(port(), bob)) {
            String id = FileClient.fileId(a.put(bob, "big.bin", body));
            assertThat(b.eventSkippingPresence()).startsWith("FILE ");
            b.send("GET " + id);
            assertThat(b.readLine()).isEqualTo("200 GET " + id + " " + body.length + " big.bin");
            // Read a little, then let messages arrive while the rest is still to come.
            byte[] first = b.readBytes(1024);
            for (int i = 0; i < 50; i++) {
                assertThat(a.command("MSG " + bob + " during " + i)).startsWith("200 MSG ");
            }
            byte[] rest = b.readBytes(body.length - 1024);
            assertThat(concat(first, rest)).isEqualTo(body);
            for (int i = 0; i < 50; i++) {
                assertThat(b.eventSkippingPresence()).isEqualTo("MSG " + alice + " " + bob + " during " + i);
            }
        }
    }

    private Path incoming() {
        return chat.dataDir().resolve("files").resolve("incoming");
    }

    private static long countFiles(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
