package io.chatmsg.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.history.MessageLog;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.Vendor;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Benchmark scenario (e), the durable write path alone: {@code producers}
 * threads append direct messages through the real {@link MessageLog} and
 * {@link GroupCommitWriter} to a fresh H2 file database with the production
 * URL ({@code WRITE_DELAY=0}), each keeping {@code window} appends
 * outstanding, between random pairs of {@value #IDS} client ids (as scenario
 * (a) would: every conversation lands somewhere else in the indexes); an
 * append counts once its future completes, i.e. after the commit that holds
 * it. Reports acknowledged messages per second and the append-to-commit
 * latency. No sockets, no Spring context: {@link MessageLog} and the writer
 * are built by hand.
 */
final class WritePathBenchmark {

    static final int IDS = 1000;

    private WritePathBenchmark() {}

    record Result(long acknowledged, double perSecond, Histogram latencyMicros, long commits, long failed) {}

    static Result run(Path dataDir, int producers, int window, Duration warmup, Duration duration)
            throws InterruptedException {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("chatmsg") + ";WRITE_DELAY=0";
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setUsername("sa");
            ds.setPassword("");
            ds.setMaximumPoolSize(4);
            Vendor.flyway(ds).migrate();
            GroupCommitWriter writer = new GroupCommitWriter(ds, 65536, 2048);
            writer.start();
            try {
                MessageLog log =
                        new MessageLog(writer, new JdbcTemplate(ds), Clock.systemUTC(), ForkJoinPool.commonPool());
                return drive(log, writer, producers, window, warmup, duration);
            } finally {
                writer.stop();
            }
        }
    }

    private static Result drive(
            MessageLog log, GroupCommitWriter writer, int producers, int window, Duration warmup, Duration duration)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + duration.toNanos();
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        String text = "x".repeat(64);
        Thread[] threads = new Thread[producers];
        long commitsBefore = writer.commits();
        String[] ids = new String[IDS];
        for (int i = 0; i < IDS; i++) {
            ids[i] = "client" + i;
        }
        for (int p = 0; p < producers; p++) {
            SplittableRandom random = new SplittableRandom(p);
            Semaphore slots = new Semaphore(window);
            threads[p] = new Thread(
                    () -> {
                        while (System.nanoTime() < measureTo) {
                            try {
                                slots.acquire();
                            } catch (InterruptedException e) {
                                return;
                            }
                            String sender = ids[random.nextInt(IDS)];
                            String recipient = ids[random.nextInt(IDS)];
                            long sentAt = System.nanoTime();
                            CompletableFuture<Void> done =
                                    log.appendDelivered(log.nextId(), Instant.now(), sender, recipient, text);
                            done.whenComplete((v, e) -> {
                                slots.release();
                                long now = System.nanoTime();
                                if (e != null) {
                                    failed.incrementAndGet();
                                } else if (sentAt >= measureFrom && sentAt < measureTo) {
                                    acknowledged.incrementAndGet();
                                    latency.recordValue((now - sentAt) / 1000);
                                }
                            });
                        }
                        slots.acquireUninterruptibly(window);
                    },
                    "write-path-" + p);
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = duration.toNanos() / 1e9;
        return new Result(
                acknowledged.get(),
                acknowledged.get() / seconds,
                latency,
                writer.commits() - commitsBefore,
                failed.get());
    }
}
