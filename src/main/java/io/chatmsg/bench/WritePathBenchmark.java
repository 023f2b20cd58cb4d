package io.chatmsg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import io.chatmsg.store.PostgresqlPool;
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
 *
 * <p>With a JDBC URL ({@code --url jdbc:postgresql://...}) the same runs on that
 * database instead, which must exist and be empty or migrated (bench/run.sh makes
 * one and drops it), with the pool set up as the gateway sets up its own
 * ({@link PostgresqlPool}). Where the writer's time goes is reported beside the
 * rate: operations per commit, time per transaction, the writer thread's CPU, and on
 * PostgreSQL the WAL's syncs and bytes ({@code pg_stat_wal}).
 */
final class WritePathBenchmark {

    static final int IDS = 1000;

    private WritePathBenchmark() {}

    record Result(long acknowledged, double perSecond, Histogram latencyMicros, long commits, long failed) {}

    /**
     * Where the writer spent its time from the start of the warm-up to the end ({@code wallNanos}): its
     * commits and the operations in them, its time inside transactions, its thread's CPU, and on
     * PostgreSQL the WAL's syncs and bytes ({@code pg_stat_wal}; -1 on H2).
     */
    record Costs(
            String store,
            long wallNanos,
            long commits,
            long operations,
            long transactionNanos,
            long writerCpuNanos,
            long walSyncs,
            long walBytes) {}

    /** The H2 file database in {@code dataDir}, with the production URL's {@code WRITE_DELAY=0}. */
    static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("chatmsg") + ";WRITE_DELAY=0;USER=sa;PASSWORD=";
    }

    static Result run(String url, int producers, int window, Duration warmup, Duration duration, Costs[] costs)
            throws InterruptedException {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setMaximumPoolSize(4);
            PostgresqlPool.apply(ds);
            Vendor vendor = Vendor.ofUrl(url);
            Vendor.flyway(ds).migrate();
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            GroupCommitWriter writer = new GroupCommitWriter(ds, 65536, 2048);
            AtomicLong transactionNanos = new AtomicLong();
            AtomicLong operations = new AtomicLong();
            writer.observer((n, nanos) -> {
                transactionNanos.addAndGet(nanos);
                operations.addAndGet(n);
            });
            writer.start();
            try {
                MessageLog log = new MessageLog(writer, jdbc, Clock.systemUTC(), ForkJoinPool.commonPool());
                long[] wal = wal(jdbc, vendor);
                long cpu = writerCpuNanos();
                long tx = transactionNanos.get();
                long ops = operations.get();
                long commits = writer.commits();
                long start = System.nanoTime();
                Result r = drive(log, writer, producers, window, warmup, duration);
                long[] walAfter = wal(jdbc, vendor);
                costs[0] = new Costs(
                        vendor.name().toLowerCase(java.util.Locale.ROOT),
                        System.nanoTime() - start,
                        writer.commits() - commits,
                        operations.get() - ops,
                        transactionNanos.get() - tx,
                        writerCpuNanos() - cpu,
                        walAfter[0] < 0 ? -1 : walAfter[0] - wal[0],
                        walAfter[1] < 0 ? -1 : walAfter[1] - wal[1]);
                return r;
            } finally {
                writer.stop();
            }
        }
    }

    /** WAL syncs and bytes so far (PostgreSQL's pg_stat_wal); -1 on H2. */
    private static long[] wal(JdbcTemplate jdbc, Vendor vendor) {
        if (vendor != Vendor.POSTGRESQL) {
            return new long[] {-1, -1};
        }
        return jdbc.queryForObject("SELECT wal_sync, wal_bytes::bigint FROM pg_stat_wal", (rs, i) ->
                new long[] {rs.getLong(1), rs.getLong(2)});
    }

    /** CPU time of the writer's thread ({@code chat-db-writer}) so far. */
    private static long writerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if ("chat-db-writer".equals(t.getName())) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        return 0;
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
