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
        }
    }

    @Test
    void strayWordIsAUsageError() throws Exception {
        Result r = run("start");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("unexpected argument 'start'").contains("Usage:");
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = JarLikeCommand.of(args);
        cmd.addAll(List.of("--server.port=0", "--chat.data-dir=" + dataDir));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {}
}
