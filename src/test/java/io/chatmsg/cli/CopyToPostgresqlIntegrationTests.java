package io.chatmsg.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.FileClient;
import io.chatmsg.support.ForkedGateway;
import io.chatmsg.support.JarLikeCommand;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The move from H2 to PostgreSQL end to end: a real gateway on H2 makes every kind of
 * row over its sockets and REST API, the command (a forked JVM, as an operator runs it)
 * copies them, every table is compared row by row, and a gateway on PostgreSQL with the
 * same data dir carries on where the old one stopped. Needs PostgreSQL on 127.0.0.1:5432
 * whatever {@code chat.test.store} says (skipped with a line when it is down, except under CI).
 */
class CopyToPostgresqlIntegrationTests {

    private static final String ADMIN_PASSWORD = "copy-test-password";
    private static final String ALICE_PASSWORD = "alice-s3cret-pw";
    private static final byte[] FILE_BODY = "minutes of the meeting\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @BeforeAll
    static void needsPostgresql() {
        assumeTrue(
                TestStore.reachable() || "true".equals(System.getenv("CI")),
                "PostgreSQL is not running on 127.0.0.1:5432: the copy tests need it");
    }

    @Test
    void everyRowMovesAndAGatewayOnPostgresqlCarriesOn() throws Exception {
        String fileId = makeEveryKindOfRow();
        Map<String, Long> h2Counts;
        try (Connection h2 = h2()) {
            h2Counts = counts(h2);
        }
        assertThat(h2Counts)
                .as("the data dir has every kind of row")
                .allSatisfy((t, n) -> assertThat(n).as(t).isPositive());

        String url = TestStore.newPostgresDatabase();
        Run run = runForked("--data-dir", dataDir.toString(), "--url", url, "--user", "postgres");
        System.out.println(run.output);
        assertThat(run.status).as(run.output).isZero();
        assertThat(run.output)
                .contains("counts verified")
                .contains("messages")
                .contains("The file bodies stay in " + dataDir.toAbsolutePath().resolve("files"));

        long maxMessageId;
        try (Connection h2 = h2();
                Connection pg = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(counts(pg)).isEqualTo(counts(h2));
            for (String table : h2Counts.keySet()) {
                assertThat(rows(pg, table)).as(table).isEqualTo(rows(h2, table));
            }
            maxMessageId = single(pg, "SELECT MAX(id) FROM messages");
            // bucket is PostgreSQL's own: computed, not copied.
            assertThat(single(pg, "SELECT COUNT(*) FROM messages WHERE bucket <> id / 4096"))
                    .isZero();
            // Each identity column hands out max + 1 next.
            for (String table : List.of("audit_log", "bans", "alerts", "scheduled_broadcasts")) {
                long max = single(pg, "SELECT MAX(id) FROM " + table);
                assertThat(single(pg, "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id'))"))
                        .as(table)
                        .isEqualTo(max + 1);
            }
        }

        try (ForkedGateway server = ForkedGateway.startOnDatabase(dataDir, url)) {
            int port = server.awaitPort();
            try (ChatTestClient thief = ChatTestClient.connect(port)) {
                thief.send("LOGIN alice");
                assertThat(thief.reply()).startsWith("401");
            }
            try (ChatTestClient alice = ChatTestClient.connect(port);
                    FileClient carol = FileClient.login(port, "carol")) {
                alice.send("LOGIN alice " + ALICE_PASSWORD);
                assertThat(alice.reply()).isEqualTo("200 LOGIN alice");

                // What waited for carol in H2's queue is delivered at LOGIN, then her file.
                assertThat(carol.eventSkippingPresence()).isEqualTo("MSG alice carol while you were away");
                assertThat(carol.eventSkippingPresence()).isEqualTo("MSG SERVER ALL maintenance tonight");
                assertThat(carol.eventSkippingPresence())
                        .isEqualTo("FILE dave carol " + fileId + " " + FILE_BODY.length + " minutes.txt");
                FileClient.Fetched got = carol.get(fileId);
                assertThat(got.reply()).startsWith("200 GET " + fileId);
                assertThat(got.body()).isEqualTo(FILE_BODY);

                alice.send("HISTORY bob");
                List<String> history = alice.multiLineReply();
                assertThat(history).last().isEqualTo("200 HISTORY 2");
                assertThat(history.get(0)).endsWith(" alice bob hello bob");
                assertThat(history.get(1)).endsWith(" bob alice hi alice");

                alice.send("MSG carol after the move");
                String ack = alice.reply();
                assertThat(ack).startsWith("200 MSG ");
                assertThat(Long.parseLong(ack.split(" ")[2])).isGreaterThan(maxMessageId);
            }
            assertThat(server.terminate()).isIn(0, 143);
        }
    }

    @Test
    void refusesATargetThatHoldsRows() throws Exception {
        makeSomeRows();
        String url = TestStore.newPostgresDatabase();
        assertThat(runForked("--data-dir", dataDir.toString(), "--url", url, "--user", "postgres").status)
                .isZero();

        Run again = runInProcess("--data-dir", dataDir.toString(), "--url", url, "--user", "postgres");
        assertThat(again.status).isEqualTo(2);
        assertThat(again.errLines())
                .singleElement()
                .asString()
                .startsWith("copy-to-postgresql: the target database is not empty (rows in ")
                .contains("messages");
    }

    @Test
    void refusesWhileTheGatewayHoldsTheH2File() throws Exception {
        try (ForkedGateway server = ForkedGateway.startOnDatabase(dataDir, null)) {
            server.awaitPort();
            String url = TestStore.newPostgresDatabase();
            Run run = runForked("--data-dir", dataDir.toString(), "--url", url, "--user", "postgres");
            assertThat(run.status).as(run.output).isEqualTo(2);
            assertThat(run.output.strip())
                    .isEqualTo("copy-to-postgresql: the H2 database in " + dataDir.toAbsolutePath()
                            + " is in use: stop the gateway first");
            try (Connection pg = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(single(pg, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"))
                        .as("nothing made in the target")
                        .isZero();
            }
            server.terminate();
        }
    }

    @Test
    void refusesBadUrlsWithOneLine() throws Exception {
        makeSomeRows();
        Run mysql = runInProcess("--data-dir", dataDir.toString(), "--url", "jdbc:mysql://127.0.0.1/chat");
        assertThat(mysql.status).isEqualTo(2);
        assertThat(mysql.errLines())
                .containsExactly("copy-to-postgresql: --url must be a PostgreSQL JDBC URL,"
                        + " jdbc:postgresql://HOST:5432/DB, not jdbc:mysql://127.0.0.1/chat");

        Run nobody = runInProcess(
                "--data-dir", dataDir.toString(), "--url", "jdbc:postgresql://127.0.0.1:1/chat", "--user", "postgres");
        assertThat(nobody.status).isEqualTo(2);
        assertThat(nobody.errLines())
                .singleElement()
                .asString()
                .startsWith("copy-to-postgresql: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/chat: ");

        Run missing = runInProcess(
                "--data-dir",
                dataDir.toString(),
                "--url",
                "jdbc:postgresql://127.0.0.1:5432/" + "chatmsg_no_such_database",
                "--user",
                "postgres");
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString().contains("chatmsg_no_such_database");

        Run inUrl = runInProcess(
                "--data-dir", dataDir.toString(), "--url", "jdbc:postgresql://127.0.0.1/chat?user=x&password=hunter2");
        assertThat(inUrl.status).isEqualTo(2);
        assertThat(inUrl.errLines()).singleElement().asString().contains("not in the URL: it shows in ps");

        Run noDatabase = runInProcess(
                "--data-dir", dataDir.resolve("elsewhere").toString(), "--url", "jdbc:postgresql://127.0.0.1/chat");
        assertThat(noDatabase.status).isEqualTo(2);
        assertThat(noDatabase.errLines()).singleElement().asString().contains("no chatmsg.mv.db");
    }

    @Test
    void helpDescribesTheCommandAndTheLauncherListsIt() {
        Run help = runInProcess("--help");
        assertThat(help.status).isZero();
        assertThat(help.out)
                .contains("--data-dir=DIR")
                .contains("--url=URL")
                .contains("--password-env=VAR")
                .contains("PGPASSWORD")
                .contains("DIR/files");
        assertThat(Launcher.USAGE).contains("copy-to-postgresql");
    }

    /**
     * Every table gets rows, made the way the gateway makes them. Returns the id of the
     * file dave sent carol while she was away.
     */
    private String makeEveryKindOfRow() throws Exception {
        String fileId;
        try (ForkedGateway server = ForkedGateway.startOnDatabase(
                dataDir,
                null,
                "--chat.admin.password=" + ADMIN_PASSWORD,
                "--chat.traffic.flush-interval=200ms",
                "--chat.alerts.watch=watched",
                "--chat.alerts.check-interval=100ms",
                "--chat.latency.interval=200ms")) {
            int port = server.awaitPort();
            int web = server.webPort();
            try (ChatTestClient carol = ChatTestClient.login(port, "carol")) {
                carol.send("QUIT"); // known, then offline
                assertThat(carol.reply()).isEqualTo("200 BYE");
            }
            try (ChatTestClient mallory = ChatTestClient.login(port, "mallory");
                    ChatTestClient kicked = ChatTestClient.login(port, "kicked");
                    ChatTestClient watched =
                            ChatTestClient.login(port, "watched").answerPings();
                    ChatTestClient alice = ChatTestClient.connect(port);
                    ChatTestClient bob = ChatTestClient.login(port, "bob");
                    FileClient dave = FileClient.login(port, "dave")) {
                alice.send("REGISTER alice " + ALICE_PASSWORD);
                assertThat(alice.reply()).isEqualTo("201 REGISTER alice");
                alice.send("LOGIN alice " + ALICE_PASSWORD);
                assertThat(alice.reply()).isEqualTo("200 LOGIN alice");
                alice.send("MSG bob hello bob");
                assertThat(alice.reply()).startsWith("200 MSG ");
                bob.send("MSG alice hi alice");
                assertThat(bob.reply()).startsWith("200 MSG ");
                alice.send("MSG carol while you were away");
                assertThat(alice.reply()).startsWith("202 MSG ");
                bob.send("MSG ALL good morning all");
                assertThat(bob.reply()).startsWith("200 MSG ");
                String put = dave.put("carol", "minutes.txt", FILE_BODY);
                assertThat(put).startsWith("201 PUT ");
                fileId = FileClient.fileId(put);

                assertThat(api(
                                web,
                                "POST",
                                "/api/broadcast",
                                "{\"text\":\"maintenance tonight\",\"queueOffline\":true}"))
                        .isEqualTo(200);
                assertThat(api(
                                web,
                                "POST",
                                "/api/broadcast",
                                "{\"text\":\"maintenance now\",\"at\":\""
                                        + Instant.now().plus(Duration.ofDays(1)) + "\"}"))
                        .isEqualTo(202);
                assertThat(api(web, "POST", "/api/users/mallory/ban", "{\"reason\":\"spam\"}"))
                        .isEqualTo(200);
                assertThat(api(
                                web,
                                "POST",
                                "/api/bans/addresses",
                                "{\"address\":\"10.9.0.0/16\",\"reason\":\"abuse\"}"))
                        .isEqualTo(200);
                assertThat(api(web, "POST", "/api/clients/kick", "{\"reason\":\"testing\",\"idPrefix\":\"kicked\"}"))
                        .isEqualTo(200);
                assertThat(kicked.awaitClosed()).isTrue();
                // The watched client's first answered probe: offline -> normal, an alert.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> apiBody(web, "/api/alerts").contains("client watched"));
                Thread.sleep(600); // traffic minutes reach the database every 200 ms
            }
            assertThat(server.terminate()).isIn(0, 143);
        }
        return fileId;
    }

    /** A data dir with a few messages. */
    private void makeSomeRows() throws Exception {
        try (ForkedGateway server = ForkedGateway.startOnDatabase(dataDir, null)) {
            int port = server.awaitPort();
            try (ChatTestClient alice = ChatTestClient.login(port, "alice")) {
                alice.send("MSG alice note to self");
                assertThat(alice.reply()).startsWith("200 MSG ");
            }
            assertThat(server.terminate()).isIn(0, 143);
        }
    }

    private static int api(int web, String method, String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        request(web, path)
                                .header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() < 300 ? r.statusCode() : -r.statusCode();
    }

    private static String apiBody(int web, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(request(web, path).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static HttpRequest.Builder request(int web, String path) {
        String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + path))
                .header("Authorization", "Basic " + basic);
    }

    private Connection h2() throws Exception {
        return DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("chatmsg"), "sa", "");
    }

    /** Rows per table (Flyway's history aside), from the database's own catalogue. */
    private static Map<String, Long> counts(Connection c) throws Exception {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, null, new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM").toLowerCase(java.util.Locale.ROOT);
                String name = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                if (schema.equals("public") && !name.equals("flyway_schema_history")) {
                    tables.add(name);
                }
            }
        }
        tables.sort(null);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : tables) {
            counts.put(t, single(c, "SELECT COUNT(*) FROM " + t));
        }
        return counts;
    }

    /** A table's rows, each as one normalised line (times as instants, bucket left out), sorted. */
    private static List<String> rows(Connection c, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String column = meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                    if (column.equals("bucket")) {
                        continue;
                    }
                    Object v = rs.getObject(i);
                    if (v instanceof OffsetDateTime t) {
                        v = t.toInstant();
                    } else if (v instanceof Timestamp t) {
                        v = t.toInstant();
                    }
                    row.append(column).append('=').append(v).append(" | ");
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    record Run(int status, String out, String err, String output) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** As an operator runs it: a JVM of its own, its exit status, stdout and stderr together in {@code output}. */
    private static Run runForked(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("copy-to-postgresql"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(JarLikeCommand.of(cmd.toArray(String[]::new))).redirectErrorStream(true);
        pb.environment().remove("PGPASSWORD");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output, "", output);
    }

    /** Through picocli in this JVM, with its streams captured. */
    private static Run runInProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CopyToPostgresql command = new CopyToPostgresql();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        command.env = name -> null;
        CommandLine cl = new CommandLine(command);
        cl.setOut(new java.io.PrintWriter(command.out, true));
        cl.setErr(new java.io.PrintWriter(command.err, true));
        int status = cl.execute(args);
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        return new Run(status, o, e, o + e);
    }
}
