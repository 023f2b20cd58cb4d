package io.chatmsg.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.jayway.jsonpath.JsonPath;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.ForkedGateway;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The documented restore (docs/operations.md), done for real on the store the run uses: back
 * up online while chatting, keep writing, stop, restore (H2: unzip into an empty data dir;
 * PostgreSQL: {@code pg_restore} into a fresh database), start, find every message from before
 * the backup and none from after. And on PostgreSQL without pg_dump: backups honestly off.
 */
class BackupRestoreIntegrationTests {

    private static final Pattern WEB_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final String PASSWORD = "backup-test-password";

    @TempDir
    Path live;

    @TempDir
    Path restored;

    @Test
    void onlineBackupRestoresIntoAWorkingGateway() throws Exception {
        String backupFile;
        try (ForkedGateway server = ForkedGateway.start(live, "--chat.admin.password=" + PASSWORD)) {
            int port = server.awaitPort();
            try (ChatTestClient alice = ChatTestClient.login(port, "alice");
                    ChatTestClient bob = ChatTestClient.login(port, "bob")) {
                for (int i = 0; i < 50; i++) {
                    alice.send("MSG bob before backup " + i);
                    assertThat(alice.reply()).startsWith("200 MSG");
                }
                HttpResponse<String> r = postBackup(webPort(server));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                backupFile = JsonPath.read(r.body(), "$.file");
                // Written after the backup: not in it.
                alice.send("MSG bob after backup");
                assertThat(alice.reply()).startsWith("200 MSG");
            }
            assertThat(server.terminate()).isIn(0, 143);
        }
        Path backup = Path.of(backupFile);
        assertThat(backup).startsWith(live.resolve("backups")).exists();
        assertThat(backup.getFileName().toString())
                .matches("chatmsg-\\d{8}T\\d{6}Z\\." + (TestStore.postgresql() ? "dump" : "zip"));
        // The whole database: for the owner only; nothing half-written left beside it.
        assertThat(mode(backup)).isEqualTo("rw-------");
        try (var files = Files.list(live.resolve("backups"))) {
            assertThat(files.toList()).containsExactly(backup);
        }

        if (TestStore.postgresql()) {
            restoreWithPgRestore(backup);
        } else {
            unzipIntoEmptyDataDir(backup);
        }

        try (ForkedGateway server = ForkedGateway.start(restored);
                ChatTestClient alice = ChatTestClient.login(server.awaitPort(), "alice")) {
            alice.send("HISTORY bob 500");
            List<String> lines = alice.multiLineReply();
            assertThat(lines).last().isEqualTo("200 HISTORY 50");
            assertThat(lines.get(0)).endsWith("alice bob before backup 0");
            assertThat(String.join("\n", lines)).doesNotContain("after backup");
            // The restored gateway writes: new ids do not collide with restored ones.
            alice.send("MSG bob after restore");
            assertThat(alice.reply()).startsWith("202 MSG"); // bob is offline: stored for later
            if (!TestStore.postgresql()) {
                // The gateway's start made them the owner's only.
                assertThat(mode(restored)).isEqualTo("rwx------");
                assertThat(mode(restored.resolve("chatmsg.mv.db"))).isEqualTo("rw-------");
            }
        }
    }

    /**
     * PostgreSQL without a pg_dump: the API says what to use instead (409), the dashboard has no
     * button but the same words, and the scheduled backup says so once at start.
     */
    @Test
    void withoutPgDumpBackupsAreOffAndSayWhatToUseInstead() throws Exception {
        assumeTrue(
                TestStore.postgresql(), "PostgreSQL's backups: the run on PostgreSQL (-Dchat.test.store=postgresql)");
        try (ForkedGateway server = ForkedGateway.start(
                live,
                "--chat.admin.password=" + PASSWORD,
                "--chat.backup.pg-dump=" + live.resolve("no-such-pg_dump"),
                "--chat.backup.interval=1s")) {
            server.awaitPort();
            int web = webPort(server);

            HttpResponse<String> r = postBackup(web);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            String detail = JsonPath.read(r.body(), "$.detail");
            assertThat(detail)
                    .startsWith("This database is backed up by PostgreSQL's own tools, not by the gateway:"
                            + " pg_dump was not found (chat.backup.pg-dump=" + live.resolve("no-such-pg_dump") + ")")
                    .contains("point-in-time restore");

            String overview = dashboardOverview(web);
            assertThat(overview).doesNotContain("Back up now").contains("backed up by PostgreSQL&#39;s own tools");

            // Three intervals of chat.backup.interval=1s: not one failure logged.
            await().during(3, TimeUnit.SECONDS).atMost(10, TimeUnit.SECONDS).until(() -> !server.output()
                    .contains("scheduled backup failed"));
            assertThat(server.output())
                    .containsOnlyOnce("scheduled backups off: This database is backed up by PostgreSQL's own tools");
        }
        assertThat(live.resolve("backups")).doesNotExist();
    }

    private void restoreWithPgRestore(Path backup) throws Exception {
        // As the docs say: pg_restore --clean --if-exists -d DB file.dump, into a database no gateway uses.
        String url = TestStore.newPostgresDatabase();
        String db = url.substring(url.lastIndexOf('/') + 1);
        Process p = new ProcessBuilder(
                        "pg_restore",
                        "--clean",
                        "--if-exists",
                        "-h",
                        TestStore.HOST,
                        "-p",
                        String.valueOf(TestStore.PORT),
                        "-U",
                        TestStore.user(),
                        "-d",
                        db,
                        backup.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(said).isZero();
        ForkedGateway.useDatabase(restored, url);
    }

    private void unzipIntoEmptyDataDir(Path backup) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Files.copy(
                        (InputStream) zip, restored.resolve(Path.of(e.getName()).getFileName()));
            }
        }
        assertThat(restored.resolve("chatmsg.mv.db")).exists();
        // As a copy often ends up: readable by all.
        Files.setPosixFilePermissions(restored, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(restored.resolve("chatmsg.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static int webPort(ForkedGateway server) {
        Matcher m = WEB_PORT.matcher(server.output());
        assertThat(m.find()).as(server.output()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static HttpResponse<String> postBackup(int web) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/api/backups"))
                                .header("Authorization", "Basic " + basic)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The overview page, after the dashboard's form login as a person does it. */
    private static String dashboardOverview(int web) throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        String base = "http://127.0.0.1:" + web;
        String login = browser.send(
                        HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login);
        assertThat(csrf.find()).as(login).isTrue();
        String form = "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/");
        return page.body();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
