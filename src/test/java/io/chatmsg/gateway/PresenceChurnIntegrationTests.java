package io.chatmsg.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.ReadingCrowd;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The churn attack: connections pipelining {@code LOGIN z_i}/{@code LOGOFF z_i}
 * with new ids while many clients are online. Every JOIN and LEAVE used to queue
 * a task per event loop holding every recipient, faster than the loops could
 * deliver: the heap filled in seconds. Presence changes now coalesce per id, so
 * the work queued on the event loops stays bounded and a bystander is served.
 */
class PresenceChurnIntegrationTests extends GatewayIntegrationTest {

    // The build's short version; on demand, the full attack:
    // -Dchurn.online=2000 -Dchurn.connections=25 -Dchurn.millis=30000
    private static final int ONLINE = Integer.getInteger("churn.online", 1000);
    private static final int CHURNERS = Integer.getInteger("churn.connections", 12);
    private static final long CHURN_MILLIS = Long.getLong("churn.millis", 6000);

    @Test
    void loginLogoffChurnKeepsQueuedWorkBoundedAndABystanderServed() throws Exception {
        String prefix = uniqueId("crowd") + "-";
        try (ReadingCrowd crowd = ReadingCrowd.open(gateway.port(), prefix, ONLINE)) {
            ChatTestClient bystander = login(uniqueId("bystander"));
            await().atMost(60, TimeUnit.SECONDS).until(() -> whoCount(bystander) >= ONLINE + 1);

            AtomicBoolean churning = new AtomicBoolean(true);
            AtomicInteger lines = new AtomicInteger();
            List<Thread> churners = new ArrayList<>();
            for (int t = 0; t < CHURNERS; t++) {
                String ids = uniqueId("z") + "-";
                Thread churner = new Thread(() -> churn(ids, churning, lines));
                churner.start();
                churners.add(churner);
            }
            Histogram rtt = new Histogram(3);
            int maxQueued = 0;
            long mostHeap = 0;
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHURN_MILLIS);
            int n = 0;
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                assertThat(bystander.send("PING b" + n).reply()).isEqualTo("200 PONG b" + n);
                rtt.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                maxQueued = Math.max(maxQueued, gateway.queuedTasks());
                mostHeap = Math.max(mostHeap, memory.getHeapMemoryUsage().getUsed());
                n++;
                Thread.sleep(20); // a person's pace, not a benchmark's
            }
            churning.set(false);
            for (Thread t : churners) {
                t.join();
            }
            System.out.printf(
                    "churn: %d LOGIN/LOGOFF lines in %d ms by %d connections with %d online; "
                            + "bystander PING p50 %.1f ms, p99 %.1f ms, max %.1f ms; most tasks queued %d; "
                            + "most heap in use %d MB (server and test clients together)%n",
                    lines.get(),
                    CHURN_MILLIS,
                    CHURNERS,
                    ONLINE,
                    rtt.getValueAtPercentile(50) / 1000.0,
                    rtt.getValueAtPercentile(99) / 1000.0,
                    rtt.getMaxValue() / 1000.0,
                    maxQueued,
                    mostHeap >> 20);

            assertThat(lines.get()).as("the churn really ran").isGreaterThan(10_000);
            // Before the fix: hundreds of thousands of queued deliveries within seconds.
            assertThat(maxQueued).isLessThan(5_000);
            assertThat(rtt.getValueAtPercentile(99))
                    .as("bystander PING p99, µs")
                    .isLessThan(2_000_000);
            assertThat(crowd.closedByServer()).isZero();
            // Still a working server: a new client logs in and sees everyone.
            ChatTestClient late = login(uniqueId("late"));
            assertThat(whoCount(late)).isEqualTo(ONLINE + 2);
        }
    }

    private static int whoCount(ChatTestClient c) throws IOException {
        List<String> who = c.send("WHO").multiLineReply();
        return Integer.parseInt(who.get(who.size() - 1).substring("200 WHO ".length()));
    }

    /** Pipelines LOGIN/LOGOFF pairs with new ids, reading (and dropping) the replies on another thread. */
    private void churn(String ids, AtomicBoolean churning, AtomicInteger lines) {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    while (in.read(buf) >= 0) {
                        // replies: not the subject here
                    }
                } catch (IOException e) {
                    // closed at the end
                }
            });
            drain.start();
            OutputStream out = s.getOutputStream();
            int i = 0;
            while (churning.get()) {
                StringBuilder burst = new StringBuilder();
                for (int k = 0; k < 50; k++, i++) {
                    burst.append("LOGIN ")
                            .append(ids)
                            .append(i)
                            .append("\r\nLOGOFF ")
                            .append(ids)
                            .append(i)
                            .append("\r\n");
                }
                out.write(burst.toString().getBytes(StandardCharsets.US_ASCII));
                lines.addAndGet(100);
                Thread.sleep(100); // ~500 lines/s per connection, as in the attack
            }
            s.shutdownOutput();
            drain.join(5000);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
