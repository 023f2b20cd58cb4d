package io.chatmsg.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.ForkedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented restore (docs/operations.md), done for real: back up online, unzip, start, find the messages. */
class BackupRestoreIntegrationTests {

    private static final Pattern WEB_PORT = Pattern.compile("Tomcat started on port (\\d+)");

    @TempDir
    Path live;

    @TempDir
    Path restored;

    @Test
    void onlineBackupRestoresIntoAWorkingGateway() throws Exception {
        String backupFile;
        try (ForkedGateway server = ForkedGateway.start(live, "--chat.admin.password=backup-test-password")) {
            int port = server.awaitPort();
            try (ChatTestClient alice = ChatTestClient.login(port, "alice");
                    ChatTestClient bob = ChatTestClient.login(port, "bob")) {
                for (int i = 0; i < 50; i++) {
                    alice.send("MSG bob before backup " + i);
                    assertThat(alice.reply()).startsWith("200 MSG");
                }
                Matcher m = WEB_PORT.matcher(server.output());
                assertThat(m.find()).isTrue();
                HttpResponse<String> r = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/api/backups"))
                                        .header(
                                                "Authorization",
                                                "Basic "
                                                        + Base64.getEncoder()
                                                                .encodeToString("admin:backup-test-password"
                                                                        .getBytes(StandardCharsets.UTF_8)))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                backupFile = com.jayway.jsonpath.JsonPath.read(r.body(), "$.file");
                // Written after the backup: not in it.
                alice.send("MSG bob after backup");
                assertThat(alice.reply()).startsWith("200 MSG");
            }
            assertThat(server.terminate()).isIn(0, 143);
        }
        assertThat(Path.of(backupFile)).startsWith(live.resolve("backups")).exists();
        // The whole database: for the owner only.
        assertThat(mode(Path.of(backupFile))).isEqualTo("rw-------");

        // Restore: unzip into an empty data dir.
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of(backupFile)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Files.copy(
                        (InputStream) zip, restored.resolve(Path.of(e.getName()).getFileName()));
            }
        }
        assertThat(restored.resolve("chatmsg.mv.db")).exists();
        // As a copy often ends up: readable by all.
        Files.setPosixFilePermissions(restored, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(restored.resolve("chatmsg.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        try (ForkedGateway server = ForkedGateway.start(restored);
                ChatTestClient alice = ChatTestClient.login(server.awaitPort(), "alice")) {
            alice.send("HISTORY bob 500");
            List<String> lines = alice.multiLineReply();
            assertThat(lines).last().isEqualTo("200 HISTORY 50");
            assertThat(lines.get(0)).endsWith("alice bob before backup 0");
            assertThat(String.join("\n", lines)).doesNotContain("after backup");
            // The gateway's start made them the owner's only.
            assertThat(mode(restored)).isEqualTo("rwx------");
            assertThat(mode(restored.resolve("chatmsg.mv.db"))).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
