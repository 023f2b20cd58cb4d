package io.chatmsg.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.chatmsg.session.SessionRecorder;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replies count against the same outbound bound as events: a client that does not
 * read what it asked for stops being read, then is closed as a slow consumer, before
 * the server's memory is at risk. And while the server has stopped reading a client
 * (its own backpressure), the client's reading deadlines wait.
 */
@TestPropertySource(
        properties = {
            "chat.limits.slow-consumer-backlog=64KB",
            "chat.limits.slow-consumer-grace=6s",
            "chat.limits.line-deadline=1s",
            "chat.limits.idle-timeout=1s",
            "chat.limits.ping-timeout=1s"
        })
class UnreadRepliesIntegrationTests extends GatewayIntegrationTest {

    private static final String KB = "x".repeat(1000);

    @Autowired
    SessionRecorder sessions;

    @BeforeEach
    void history() throws Exception {
        // 200 broadcasts of 1 KB: each HISTORY ALL 500 answers about 210 KB.
        ChatTestClient writer = login(uniqueId("writer"));
        for (int i = 0; i < 200; i++) {
            writer.send("MSG ALL " + i + " " + KB);
        }
        for (int i = 0; i < 200; i++) {
            assertThat(writer.reply()).startsWith("200 MSG ");
        }
    }

    @Test
    void aClientThatNeverReadsItsHistoryRepliesHoldsLittleMemoryAndIsClosed() throws Exception {
        ChatTestClient bystander = login(uniqueId("bystander"));
        long directBefore = directMemory();
        try (Socket attacker = unreadSocket()) {
            OutputStream out = attacker.getOutputStream();
            String hoarder = uniqueId("hoarder");
            out.write(("LOGIN " + hoarder + "\r\n").getBytes(StandardCharsets.US_ASCII));
            // 400 requests of ~210 KB each: 84 MB of replies if they were all produced.
            out.write("HISTORY ALL 500\r\n".repeat(400).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Histogram rtt = new Histogram(3);
            long mostDirect = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (int n = 0; System.nanoTime() < end; n++) {
                long start = System.nanoTime();
                assertThat(bystander.send("PING " + n).reply()).isEqualTo("200 PONG " + n);
                rtt.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                mostDirect = Math.max(mostDirect, directMemory() - directBefore);
                Thread.sleep(20);
            }
            System.out.printf(
                    "unread HISTORY replies: at most %d KB more direct memory; bystander PING p99 %.1f ms%n",
                    mostDirect / 1024, rtt.getValueAtPercentile(99) / 1000.0);
            // Before the fix: every HISTORY ran, tens of MB queued for a socket nobody reads.
            assertThat(mostDirect).isLessThan(16L << 20);
            assertThat(rtt.getValueAtPercentile(99)).isLessThan(1_000_000);

            // Then it is closed as a slow consumer (grace 6 s), still not reading.
            await().atMost(20, TimeUnit.SECONDS)
                    .until(() -> sessions.live().stream().noneMatch(s -> hoarder.equals(s.clientId())));
            InputStream in = attacker.getInputStream();
            attacker.setSoTimeout(30_000);
            byte[] buf = new byte[1 << 16];
            long drained = 0;
            int r;
            try {
                while ((r = in.read(buf)) >= 0) {
                    drained += r;
                }
            } catch (java.net.SocketException reset) {
                // closed with bytes unread: a reset is just as final
            }
            assertThat(drained).as("what it could still read after the close").isLessThan(16L << 20);
        }
    }

    @Test
    void aLineHalfReadWhileTheServerPausedReadingIsNotTimedOut() throws Exception {
        try (Socket slow = unreadSocket()) {
            OutputStream out = slow.getOutputStream();
            String id = uniqueId("busy");
            // 12 MB of replies, far above the 64 KB mark and what the kernel's buffers take:
            // the server stops reading; then half a line.
            out.write(("LOGIN " + id + "\r\n" + "HISTORY ALL 500\r\n".repeat(60) + "PING la")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Longer than the line deadline, the idle time and the PING timeout together, but
            // shorter than the slow-consumer grace: the client is busy, not gone.
            Thread.sleep(3500);
            out.write("te\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String all = readUntil(slow, "200 PONG late");
            assertThat(all).contains("200 PONG late").doesNotContain("BYE");
        }
    }

    /** A socket with a tiny receive window, so unread replies stay on the server's side. */
    private Socket unreadSocket() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
        return s;
    }

    private static String readUntil(Socket s, String wanted) throws Exception {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        StringBuilder tail = new StringBuilder();
        StringBuilder all = new StringBuilder();
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = in.read(buf)) >= 0) {
            String chunk = new String(buf, 0, r, StandardCharsets.UTF_8);
            for (String line : chunk.split("\n", -1)) {
                if (line.startsWith("BYE") || line.startsWith("200 PONG") || line.startsWith("PING")) {
                    all.append(line.strip()).append('\n');
                }
            }
            tail.append(chunk);
            if (tail.indexOf(wanted) >= 0) {
                break;
            }
            if (tail.length() > 4096) {
                tail.delete(0, tail.length() - 4096);
            }
        }
        await().atMost(1, TimeUnit.SECONDS).until(() -> true);
        return all.toString();
    }

    private static long directMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT)
                .metric()
                .usedDirectMemory();
    }
}
