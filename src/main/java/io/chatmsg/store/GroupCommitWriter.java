package io.chatmsg.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The one path by which the chat hot path reaches the database. Callers on
 * Netty event loops enqueue operations into a bounded queue and never wait;
 * a single thread drains whatever has accumulated, runs it in order in one
 * transaction (consecutive statements of the same SQL as one JDBC batch),
 * commits once, and only then completes the futures. With H2's
 * {@code WRITE_DELAY=0} a commit is on disk when it returns, so a completed
 * future means the rows survive a killed process.
 */
public final class GroupCommitWriter implements SmartLifecycle {

    /** Work that runs on the writer's connection, in order with the writes around it. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Told of every committed batch (metrics). */
    @FunctionalInterface
    public interface BatchObserver {
        void committed(int operations, long nanos);
    }

    /** Stops after the gateway (which stops early) so its last acknowledgements can commit. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final RejectedExecutionException QUEUE_FULL =
            new RejectedExecutionException("database write queue full");

    private final DataSource dataSource;
    private final BlockingQueue<Op> queue;
    private final int maxBatch;
    private final int highWater;
    private final AtomicLong commits = new AtomicLong();
    private volatile BatchObserver observer = (n, nanos) -> {};
    private volatile Thread thread;
    private volatile Runnable databaseLost = () -> {};
    private final java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean running;

    public GroupCommitWriter(DataSource dataSource, int capacity, int maxBatch) {
        this.dataSource = dataSource;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.highWater = capacity / 2;
        this.maxBatch = maxBatch;
    }

    /** Fire-and-forget write; false when the queue is full (the caller decides what that costs). */
    public boolean write(String sql, Object... args) {
        return queue.offer(new Write(sql, args, null));
    }

    /** A write whose future completes once it is committed, or fails at once when the queue is full. */
    public CompletableFuture<Void> writeDurably(String sql, Object... args) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!queue.offer(new Write(sql, args, done))) {
            done.completeExceptionally(QUEUE_FULL);
        }
        return done;
    }

    /** Runs {@code work} after every operation enqueued before it; completes after the commit. */
    public <T> CompletableFuture<T> run(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!queue.offer(new Work<>(work, result))) {
            result.completeExceptionally(QUEUE_FULL);
        }
        return result;
    }

    /**
     * More than half full: producers should hold back new work (backpressure)
     * so the queue never fills and nothing needs to be refused.
     */
    public boolean backlogged() {
        return queue.size() > highWater;
    }

    public void observer(BatchObserver observer) {
        this.observer = observer;
    }

    /**
     * Called once if the database is gone for good while running (closed, or its
     * connection lost): every later write would fail, so the process should end.
     */
    public void onDatabaseLost(Runnable hook) {
        this.databaseLost = hook;
    }

    public int queued() {
        return queue.size();
    }

    public long commits() {
        return commits.get();
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::loop, "chat-db-writer");
        t.setDaemon(false);
        thread = t;
        t.start();
    }

    /** Drains what is queued, commits it and stops. */
    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void loop() {
        List<Op> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Op first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("database writer failed on a batch of {}", batch.size(), e);
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
        log.debug("database writer stopped after {} commits", commits.get());
    }

    private void commit(List<Op> batch) {
        try {
            runInOneTransaction(batch);
        } catch (SQLException e) {
            if (isDatabaseGone(e)) {
                log.error("database write failed: the database is gone ({})", e.getMessage());
                fail(batch, e);
                if (running && lost.compareAndSet(false, true)) {
                    databaseLost.run();
                }
                return;
            }
            if (batch.size() == 1) {
                log.warn("database write failed: {}", e.getMessage());
                fail(batch, e);
                return;
            }
            // Find the operation that broke the batch: retry one by one, so only it fails.
            log.warn("batch of {} failed ({}); retrying one by one", batch.size(), e.getMessage());
            for (Op op : batch) {
                commit(List.of(op));
            }
        }
    }

    /**
     * H2's "database is closed" (90098) and "closed at shutdown" (90121), or any
     * connection failure (SQL state class 08): no retry can succeed.
     */
    static boolean isDatabaseGone(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (x.getErrorCode() == 90098 || x.getErrorCode() == 90121 || (state != null && state.startsWith("08"))) {
                return true;
            }
        }
        return false;
    }

    private void runInOneTransaction(List<Op> batch) throws SQLException {
        List<Runnable> completions = new ArrayList<>(batch.size());
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                execute(c, batch, completions);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        commits.incrementAndGet();
        observer.committed(batch.size(), System.nanoTime() - start);
        completions.forEach(Runnable::run);
    }

    private static void execute(Connection c, List<Op> batch, List<Runnable> completions) throws SQLException {
        PreparedStatement ps = null;
        String sql = null;
        try {
            for (Op op : batch) {
                if (op instanceof Write w) {
                    if (!w.sql.equals(sql)) {
                        flush(ps);
                        sql = w.sql;
                        ps = c.prepareStatement(sql);
                    }
                    bind(ps, w.args);
                    ps.addBatch();
                    if (w.done != null) {
                        completions.add(() -> w.done.complete(null));
                    }
                } else if (op instanceof Work<?> work) {
                    flush(ps);
                    ps = null;
                    sql = null;
                    completions.add(work.runNow(c));
                }
            }
            flush(ps);
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    private static void flush(PreparedStatement ps) throws SQLException {
        if (ps != null) {
            ps.executeBatch();
            ps.close();
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            ps.setObject(i + 1, a instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : a);
        }
    }

    private static void fail(List<Op> batch, Exception e) {
        for (Op op : batch) {
            op.fail(e);
        }
    }

    private sealed interface Op {
        void fail(Exception e);
    }

    private record Write(String sql, Object[] args, CompletableFuture<Void> done) implements Op {
        @Override
        public void fail(Exception e) {
            if (done != null) {
                done.completeExceptionally(e);
            }
        }
    }

    private record Work<T>(SqlWork<T> work, CompletableFuture<T> result) implements Op {
        Runnable runNow(Connection c) throws SQLException {
            T value = work.run(c);
            return () -> result.complete(value);
        }

        @Override
        public void fail(Exception e) {
            result.completeExceptionally(e);
        }
    }
}
