package io.chatmsg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.chatmsg.cli.Launcher;
import io.chatmsg.support.JarLikeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The server as a user starts it, with arguments that cannot work. */
class StartupFailureTests {

    @TempDir
    Path dataDir;

    @Test
    void portThatIsNotANumberFailsBeforeSpringStarts() throws Exception {
        Result r = run("--chat.port=abc");
        assertFailsFastWithOneLine(r, "chat-gateway: --chat.port=abc: not a port number (0-65535)");
    }

    @Test
    void webPortOutOfRangeFailsBeforeSpringStarts() throws Exception {
        Result r = run("--server.port=99999");
        assertFailsFastWithOneLine(r, "chat-gateway: --server.port=99999: not a port number (0-65535)");
    }

    @Test
    void dataDirUnderAFileFailsBeforeSpringStarts() throws Exception {
        Path file = java.nio.file.Files.createFile(dataDir.resolve("not-a-dir"));
        Result r = run("--chat.data-dir=" + file.resolve("data"));
        assertFailsFastWithOneLine(
                r,
                "chat-gateway: --chat.data-dir=" + file.resolve("data") + ": cannot be created: " + file
                        + " is a file, not a directory");
    }

    @Test
    void portFromTheEnvironmentIsCheckedToo() throws Exception {
        Result r = run(Map.of("CHAT_TLS_PORT", "70000"));
        assertFailsFastWithOneLine(r, "chat-gateway: CHAT_TLS_PORT=70000 (environment): not a port number (0-65535)");
    }

    @Test
    void dataDirThatIsAFileSetElsewhereStopsTheStartWithOneLine() throws Exception {
        Path file = java.nio.file.Files.createFile(dataDir.resolve("a-file"));
        // SPRING_APPLICATION_JSON is not read by the launcher: Spring Boot's own start catches it.
        Result r = run(Map.of("SPRING_APPLICATION_JSON", "{\"chat\":{\"data-dir\":\"" + file + "\"}}"));
        assertThat(r.exit).as(r.all()).isEqualTo(2);
        assertThat(r.errLines())
                .as(r.all())
                .containsExactly("chat-gateway: the data dir " + file
                        + " is a file, not a directory; Set chat.data-dir to a directory user "
                        + System.getProperty("user.name") + " can write, or create that one.");
        assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Caused by");
    }

    @Test
    void invalidPropertyValueFoundBySpringEndsWithOneLineAndStatusTwo() throws Exception {
        Result r = run("--chat.port=0", "--chat.limits.idle-timeout=abc");
        assertThat(r.exit).as(r.all()).isEqualTo(2);
        assertThat(r.errLines())
                .as(r.all())
                .containsExactly(
                        "chat-gateway: --chat.limits.idle-timeout=abc: not a valid Duration ('abc' is not a valid duration)");
        assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Caused by");
    }

    @Test
    void portAlreadyInUseStopsTheStartWithStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = run("--chat.bind-address=127.0.0.1", "--chat.port=" + taken.getLocalPort());
            assertThat(r.exit).as(r.all()).isEqualTo(1);
            assertThat(r.errLines())
                    .as(r.all())
                    .singleElement()
                    .asString()
                    .startsWith("chat-gateway: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(r.all()).doesNotContain("\tat ");
        }
    }

    @Test
    void corruptDatabaseFileIsNamedWithWhatToDo() throws Exception {
        java.nio.file.Files.write(
                dataDir.resolve("chatmsg.mv.db"),
                new java.util.Random(7)
                        .ints(50_000)
                        .collect(java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> {})
                        .toByteArray());
        Result r = run("--chat.port=0");
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.all()).contains("the database file is corrupt").contains("Restore the latest backup");
        assertThat(r.errLines()).as(r.all()).singleElement().asString().startsWith("chat-gateway: the database file");
        assertThat(r.all()).doesNotContain("\tat ");
    }

    @Test
    void strayWordIsAUsageError() throws Exception {
        Result r = run("start");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.all()).contains("unexpected argument 'start'").contains("Usage:");
    }

    /** Exit status 2 and just the reason and the usage hint on stderr, before any log line of Spring's. */
    private static void assertFailsFastWithOneLine(Result r, String reason) {
        assertThat(r.exit).as(r.all()).isEqualTo(2);
        assertThat(r.errLines()).as(r.all()).containsExactly(reason, Launcher.USAGE_HINT);
        assertThat(r.out)
                .as("nothing of Spring's start")
                .doesNotContain("Starting")
                .doesNotContain(":: Spring Boot ::");
        assertThat(r.all()).doesNotContain("\tat ").doesNotContain("Caused by");
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = JarLikeCommand.of(args);
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--server.port="))) {
            cmd.add("--server.port=0");
        }
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--chat.data-dir=")) && env.isEmpty()) {
            cmd.add("--chat.data-dir=" + dataDir);
        }
        Path out = Files.createTempFile(dataDir, "out", ".txt");
        Path err = Files.createTempFile(dataDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The process's exit status, stdout (the log) and stderr. */
    private record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }
}
