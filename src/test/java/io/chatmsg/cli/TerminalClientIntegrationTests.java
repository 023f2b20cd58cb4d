package io.chatmsg.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.JarLikeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void sendsAndFetchesAFileWithProgress(@TempDir Path dir) throws Exception {
        String me = uniqueId("cli");
        byte[] data = new byte[6 * 1024 * 1024 + 3];
        new java.util.Random(5).nextBytes(data);
        Path original = Files.write(dir.resolve("big data.bin"), data);
        Path into = Files.createDirectory(dir.resolve("downloads"));
        Process p = client("--id", me);
        BlockingQueue<String> out = lines(p);
        assertThat(next(out, l -> l.equals("200 LOGIN " + me))).isNotNull();
        OutputStream in = p.getOutputStream();

        type(in, "/send " + original + " " + me);
        // Three lines from two threads (the sender's summary, the server's event and reply): any order.
        java.util.Map<String, String> seen = allOf(out, "# sending big data.bin: 6.0 MB in ", "* FILE ", "201 PUT ");
        String event = seen.get("* FILE ");
        String id = seen.get("201 PUT ").substring("201 PUT ".length());
        assertThat(event).isEqualTo("* FILE " + me + " " + me + " " + id + " " + data.length + " big data.bin");

        type(in, "/get " + id + " " + into);
        assertThat(next(out, l -> l.startsWith("200 GET " + id))).isNotNull();
        assertThat(next(out, l -> l.startsWith("# saved "))).endsWith("big data.bin");
        assertThat(Files.readAllBytes(into.resolve("big data.bin"))).isEqualTo(data);
        // A second copy does not overwrite the first.
        type(in, "/get " + id + " " + into);
        assertThat(next(out, l -> l.startsWith("# saved "))).endsWith("big data (1).bin");
        type(in, "/get nosuchfile");
        assertThat(next(out, l -> l.startsWith("404 "))).isEqualTo("404 no such file nosuchfile");
        type(in, "/send /no/such/file " + me);
        assertThat(next(out, l -> l.startsWith("# /send"))).isEqualTo("# /send: no readable file /no/such/file");
        type(in, "PING still-fine");
        assertThat(next(out, l -> l.startsWith("200 PONG"))).isEqualTo("200 PONG still-fine");
        in.close();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void progressBarShowsShareDoneAndRate() {
        FileCommands.Progress progress = new FileCommands.Progress(null, "sending x", 100L * 1024 * 1024);
        assertThat(progress.bar(40L * 1024 * 1024, 100L * 1024 * 1024, 2_000_000_000L))
                .isEqualTo("sending x [############..................]  40%  40.0 MB of 100.0 MB  20.0 MB/s");
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

    /** The first line starting with each prefix, whatever their order; fails after 30 s. */
    private static java.util.Map<String, String> allOf(BlockingQueue<String> q, String... prefixes) throws Exception {
        java.util.Map<String, String> found = new java.util.HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> seen = new ArrayList<>();
        while (found.size() < prefixes.length && System.nanoTime() < deadline) {
            String l = q.poll(100, TimeUnit.MILLISECONDS);
            if (l == null) {
                continue;
            }
            seen.add(l);
            for (String prefix : prefixes) {
                if (l.startsWith(prefix)) {
                    found.putIfAbsent(prefix, l);
                }
            }
        }
        assertThat(found.keySet()).as("lines seen: " + seen).containsExactlyInAnyOrder(prefixes);
        return found;
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
