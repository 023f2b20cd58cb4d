package io.chatmsg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.JarLikeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The server as a user starts it, with arguments that cannot work. */
class StartupFailureTests {

    @TempDir
    Path dataDir;

    @Test
    void invalidPropertyValueIsAUsageError() throws Exception {
        Result r = run("--chat.port=abc");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("chat.port").contains("abc");
    }

    @Test
    void portAlreadyInUseStopsTheStartWithStatusOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = run("--chat.bind-address=127.0.0.1", "--chat.port=" + taken.getLocalPort());
            assertThat(r.exit).as(r.output).isEqualTo(1);
            assertThat(r.output).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(r.output).doesNotContain("\tat ");
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
        assertThat(r.output).contains("the database file is corrupt").contains("Restore the latest backup");
        assertThat(r.output).doesNotContain("\tat ");
    }

    @Test
    void dataDirThatCannotBeCreatedIsNamed() throws Exception {
        Path file = java.nio.file.Files.createFile(dataDir.resolve("not-a-dir"));
        Result r = run("--chat.port=0", "--chat.data-dir=" + file.resolve("data"));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("the data dir " + file.resolve("data") + " does not exist and cannot be created");
        assertThat(r.output).doesNotContain("\tat ");
    }

    @Test
    void strayWordIsAUsageError() throws Exception {
        Result r = run("start");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("unexpected argument 'start'").contains("Usage:");
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = JarLikeCommand.of(args);
        cmd.add("--server.port=0");
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--chat.data-dir="))) {
            cmd.add("--chat.data-dir=" + dataDir);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {}
}
