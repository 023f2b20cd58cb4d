package io.chatmsg.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.UdpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * tools/wireshark/chatmsg.lua against a real capture: tcpdump records a
 * scripted session on loopback, tshark decodes it with the dissector, and the
 * fields come out in the order the lines were sent — a line split across two
 * segments once, many lines in one segment each, and a PUT's or GET's body
 * (full of lines that look like commands) never as commands.
 */
class WiresharkDissectorTests extends GatewayIntegrationTest {

    private static final Path DISSECTOR = Path.of("tools/wireshark/chatmsg.lua");

    @Test
    void decodesACapturedSessionLineByLine(@TempDir Path dir) throws Exception {
        requireTools();
        Path pcap = dir.resolve("capture.pcap");
        int port = gateway.port();
        assertThat(gateway.udpPort()).isEqualTo(port);
        Process dump = new ProcessBuilder(
                        "tcpdump",
                        // Keep root: Debian's tcpdump otherwise drops to its own user before writing.
                        "-Z",
                        "root",
                        "-i",
                        "lo",
                        "-U",
                        // Hand each packet over at once, not in blocks that a stop would lose.
                        "--immediate-mode",
                        "-n",
                        "-w",
                        pcap.toString(),
                        "tcp port " + port + " or udp port " + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("tcpdump.log").toFile())
                .start();
        awaitListening(dump, dir.resolve("tcpdump.log"));
        String alice = uniqueId("alice");
        String bob = uniqueId("bob");
        String udpId = uniqueId("udp");
        byte[] body = "MSG bob not a command\nQUIT\n".getBytes(StandardCharsets.US_ASCII);
        try (FileClient b = FileClient.login(port, bob);
                Socket a = new Socket()) {
            a.setTcpNoDelay(true);
            a.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = a.getOutputStream();
            FileClientReader in = new FileClientReader(a);
            in.line(); // HELLO
            send(out, "LOGIN " + alice + "\n");
            in.until("200 LOGIN");
            send(out, "MSG " + bob + " hello world\n");
            in.until("200 MSG");
            // One line in two segments.
            send(out, "MSG " + bob + " spl");
            Thread.sleep(300);
            send(out, "it line\n");
            in.until("200 MSG");
            // Three lines in one segment.
            send(out, "PING one\nPING two\nWHO\n");
            in.until("200 WHO");
            // A file whose body holds lines.
            out.write(("PUT " + bob + " " + body.length + " notes.txt\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String id = in.until("201 PUT").substring(8);
            String file = b.eventSkippingPresence();
            while (!file.startsWith("FILE ")) {
                file = b.eventSkippingPresence();
            }
            assertThat(b.get(id).body()).isEqualTo(body);
            try (DatagramSocket u = new DatagramSocket()) {
                byte[] ping = "PING over-udp\n".getBytes(StandardCharsets.US_ASCII);
                u.send(new DatagramPacket(ping, ping.length, new InetSocketAddress("127.0.0.1", port)));
                u.setSoTimeout(5000);
                u.receive(new DatagramPacket(new byte[100], 100));
            }
            try (UdpTestClient u = new UdpTestClient(port)) {
                // 428 VERIFY <cookie>, VERIFY <cookie>, 200 VERIFY, LOGIN again.
                assertThat(u.login(udpId)).isEqualTo("200 LOGIN " + udpId + "\r\n");
            }
            send(out, "QUIT\n");
            in.until("200 BYE");
        }
        Thread.sleep(300);
        dump.destroy();
        assertThat(dump.waitFor(10, TimeUnit.SECONDS)).isTrue();

        String said = Files.readString(dir.resolve("tcpdump.log"));
        assertThat(said).as("tcpdump's own account").containsPattern("[1-9]\\d* packets? captured");
        List<String[]> rows = tshark(
                pcap,
                port,
                "-T",
                "fields",
                "-E",
                "aggregator=|",
                "-e",
                "tcp.dstport",
                "-e",
                "udp.dstport",
                "-e",
                "chatmsg.verb",
                "-e",
                "chatmsg.code",
                "-e",
                "chatmsg.target",
                "-e",
                "chatmsg.text",
                "-e",
                "chatmsg.cookie");
        List<String> clientVerbs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> serverVerbs = new ArrayList<>();
        List<String> cookies = new ArrayList<>();
        for (String[] r : rows) {
            if (!r[6].isEmpty()) {
                cookies.add((toServerPort(r, port) ? "> " : "< ") + r[6]);
            }
            boolean toServer =
                    String.valueOf(port).equals(r[0]) || String.valueOf(port).equals(r[1]);
            List<String> verbs = r[2].isEmpty() ? List.of() : Arrays.asList(r[2].split("\\|"));
            (toServer ? clientVerbs : serverVerbs).addAll(verbs);
            if (!r[5].isEmpty()) {
                texts.addAll(Arrays.asList(r[5].split("\\|")));
            }
        }
        // alice's and bob's commands, interleaved as sent; the PUT body's lines are not among them.
        assertThat(clientVerbs)
                .containsSubsequence(
                        "LOGIN", "LOGIN", "MSG", "MSG", "PING", "PING", "WHO", "PUT", "GET", "PING", "LOGIN", "VERIFY",
                        "LOGIN", "QUIT");
        assertThat(clientVerbs.stream().filter("MSG"::equals).count()).isEqualTo(2);
        assertThat(clientVerbs.stream().filter("QUIT"::equals).count()).isEqualTo(1);
        assertThat(texts).contains("hello world", "split line", "one", "two", "over-udp");
        assertThat(texts).doesNotContain("spl", "it line");
        assertThat(serverVerbs).contains("HELLO", "JOIN", "MSG", "FILE").doesNotContain("QUIT");
        // The UDP handshake: the cookie of the 428, then the same one in the VERIFY.
        assertThat(rows.stream().map(r -> r[3]).filter(c -> c.contains("428")).count())
                .isEqualTo(1);
        assertThat(cookies).hasSize(2);
        assertThat(cookies.get(0)).startsWith("< ");
        assertThat(cookies.get(1)).isEqualTo("> " + cookies.get(0).substring(2));
        // Replies carry codes; the multi-line WHO shows as several.
        assertThat(rows.stream().map(r -> r[3]).filter(c -> c.contains("201")).count())
                .isEqualTo(1);

        // The Info column, as a user sees it in the packet list.
        String summary = String.join(
                "\n", tshark(pcap, port).stream().map(r -> String.join(" ", r)).toList());
        assertThat(summary).contains("MSG " + alice + " \u2192 " + bob + ": hello world");
        assertThat(summary).contains("PING one | PING two | WHO");
        assertThat(summary).contains("body bytes]");
        Files.copy(pcap, Path.of("target", "chatmsg-capture.pcap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean toServerPort(String[] row, int port) {
        return String.valueOf(port).equals(row[0]) || String.valueOf(port).equals(row[1]);
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String[]> tshark(Path pcap, int port, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "tshark",
                "-X",
                "lua_script:" + DISSECTOR.toAbsolutePath(),
                "-r",
                pcap.toString(),
                "-d",
                "tcp.port==" + port + ",chatmsg",
                "-d",
                "udp.port==" + port + ",chatmsg",
                "-Y",
                "chatmsg"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit; output:\n" + out).isZero();
        return out.lines().map(l -> l.split("\t", -1)).toList();
    }

    private static void awaitListening(Process dump, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = Files.exists(log) ? Files.readString(log) : "";
            if (seen.contains("listening on")) {
                return;
            }
            if (!dump.isAlive()) {
                throw new AssertionError("tcpdump ended: " + seen);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("tcpdump did not start: " + seen);
    }

    /** Skips on a developer's machine without the tools or the right to capture; never under CI=true. */
    private static void requireTools() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        for (String tool : List.of("tcpdump", "tshark")) {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
            boolean present = p.waitFor() == 0;
            if (!present && ci) {
                throw new AssertionError(tool + " is missing: .ci/run installs it");
            }
            assumeTrue(present, tool + " is not installed (apt-get install tcpdump tshark); skipping the capture test");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && ci) {
            throw new AssertionError("capturing on lo needs root (CI runs as root)");
        }
        assumeTrue(root, "capturing on lo needs root; skipping the capture test");
    }

    /** Reads lines from a socket without buffering past them. */
    private static final class FileClientReader {
        private final java.io.InputStream in;

        FileClientReader(Socket s) throws IOException {
            this.in = s.getInputStream();
        }

        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        String until(String prefix) throws IOException {
            String l;
            do {
                l = line();
            } while (!l.startsWith(prefix));
            return l;
        }
    }
}
