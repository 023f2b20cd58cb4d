package io.chatmsg.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.JarLikeCommand;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled client as a user runs it: its own JVM, typed lines on stdin, server lines on stdout. */
class TerminalClientIntegrationTests extends GatewayIntegrationTest {

    @Test
    void logsInSendsShortcutsPrintsEventsAndExitsOnEndOfInput() throws Exception {
        String me = uniqueId("cli");
        String friend = uniqueId("friend");
        ChatTestClient other = login(friend);
        Process p = client("--id", me);
        BlockingQueue<String> out = lines(p);
        assertThat(next(out, l -> l.equals("200 LOGIN " + me))).isNotNull();

        OutputStream in = p.getOutputStream();
        type(in, "/msg " + friend + " hi from the cli");
        assertThat(other.eventMatching(e -> e.startsWith("MSG ")))
                .isEqualTo("MSG " + me + " " + friend + " hi from the cli");
        assertThat(next(out, l -> l.startsWith("200 MSG "))).isNotNull();

        other.send("MSG " + me + " hello back");
        assertThat(next(out, l -> l.startsWith("* MSG "))).isEqualTo("* MSG " + friend + " " + me + " hello back");

        type(in, "PING raw-line");
        assertThat(next(out, l -> l.startsWith("200 PONG"))).isEqualTo("200 PONG raw-line");

        in.close();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(other.eventMatching(e -> e.startsWith("LEAVE "))).isEqualTo("LEAVE " + me);
    }

    @Test
    void exitsWhenTheServerCloses() throws Exception {
        Process p = client();
        BlockingQueue<String> out = lines(p);
        assertThat(next(out, l -> l.startsWith("* HELLO"))).isNotNull();
        type(p.getOutputStream(), "QUIT");
        assertThat(next(out, l -> l.equals("200 BYE"))).isNotNull();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void unreachableServerExitsWithOne() throws Exception {
        Process p = new ProcessBuilder(JarLikeCommand.of("client", "127.0.0.1", "1"))
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
    }

    private Process client(String... extra) throws Exception {
        List<String> cmd = JarLikeCommand.of("client", "127.0.0.1", String.valueOf(gateway.port()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void type(OutputStream in, String line) throws Exception {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    q.add(l);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String next(BlockingQueue<String> q, java.util.function.Predicate<String> p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String l = q.poll(100, TimeUnit.MILLISECONDS);
            if (l != null) {
                if (p.test(l)) {
                    return l;
                }
                seen.add(l);
            }
        }
        throw new AssertionError("expected line not printed; got " + seen);
    }
}
