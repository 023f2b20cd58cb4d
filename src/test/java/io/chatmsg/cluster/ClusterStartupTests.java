package io.chatmsg.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.JarLikeCommand;
import io.chatmsg.support.Reaper;
import io.chatmsg.support.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster mode needs the nodes to share one database: on the embedded H2 file each node
 * would have its own, so the gateway refuses to start rather than lose messages between them.
 * Needs neither PostgreSQL nor Redis.
 */
class ClusterStartupTests {

    @TempDir
    Path dataDir;

    @Test
    void clusterModeOnH2IsRefusedWithStatusTwoAndOneLine() throws Exception {
        List<String> cmd = JarLikeCommand.of(
                "--chat.port=0",
                "--server.port=0",
                "--chat.data-dir=" + dataDir,
                "--chat.cluster.enabled=true",
                "--chat.cluster.node-id=node-1",
                "--chat.cluster.key-prefix=chatmsg-test-"
                        + ProcessHandle.current().pid() + "-h2:",
                "--spring.data.redis.url=" + TestRedis.url(TestRedis.PORT));
        Path out = Files.createTempFile(dataDir, "out", ".txt");
        Path err = Files.createTempFile(dataDir, "err", ".txt");
        Process p = Reaper.watch(new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                assertThat(Files.readString(out, StandardCharsets.UTF_8))
                        .as("started on H2 in cluster mode instead of refusing")
                        .doesNotContain("CHAT-MSG/1 listening");
                assertThat(System.nanoTime()).as("the gateway ends by itself").isLessThan(deadline);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String all = stdout + stderr;
        assertThat(p.exitValue()).as(all).isEqualTo(2);
        assertThat(stderr.lines().toList()).as(all).singleElement().asString().containsIgnoringCase("cluster");
        assertThat(all).doesNotContain("\tat ").doesNotContain("CHAT-MSG/1 listening");
    }
}
