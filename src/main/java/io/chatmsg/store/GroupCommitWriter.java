package io.chatmsg.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
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
 *
 * <p>When the database goes away the writer tells a lost connection from a lost
 * database. H2 closing itself (90098, 90121) is final. A connection that breaks
 * (SQL state class 08; PostgreSQL's 57P01 terminated or shutting down, 57P02
 * crashed, 57P03 not accepting connections) fails the batch it carried (if it
 * broke during the commit the outcome is unknown, so it is not retried) and the
 * writer asks the pool for a new connection: one that answers means the
 * database is still there (a terminated backend, a restarted proxy) and the
 * writer goes on; none within the pool's timeout means it is gone for good (the
 * server down, the database dropped) and {@link #onDatabaseLost} is told, once.
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
     * Called once if the database is gone for good while running (H2 closed, or a
     * connection lost and no new one to be had): every later write would fail, so
     * the process should end. A lost connection alone is not that: see {@link #answers()}.
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
            if (isConnectionLost(e)) {
                // The outcome is unknown if the connection broke during the commit: no retry.
                fail(batch, e);
                if (isClosedForGood(e) || noNewConnection(e) || !answers()) {
                    log.error("database write failed: the database is gone ({})", e.getMessage());
                    if (running && lost.compareAndSet(false, true)) {
                        databaseLost.run();
                    }
                } else {
                    log.warn(
                            "database write failed: its connection was lost ({}); the database answers on a new one",
                            e.getMessage());
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
     * The connection, or the database behind it, failed: H2's "database is closed"
     * (90098) and "closed at shutdown" (90121), any connection failure (SQL state
     * class 08), or PostgreSQL's operator intervention: the server shutting down or
     * the backend terminated (57P01), crashed (57P02), not accepting connections now
     * (57P03). Not a failure of the statements: retrying them one by one is pointless.
     */
    static boolean isConnectionLost(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (isClosedForGood(x)
                    || noNewConnection(x)
                    || (state != null && (state.startsWith("08") || state.matches("57P0[123]")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * H2 closed itself (after a disk failure, an out-of-memory error or SHUTDOWN):
     * opening the file again is not the writer's call.
     */
    static boolean isClosedForGood(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getErrorCode() == 90098 || x.getErrorCode() == 90121) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pool gave no connection because making one failed (its timeout, with the
     * database's refusal as the cause): the check of {@link #answers()} done already.
     * Not a pool that is merely busy (no cause): that is load, not loss.
     */
    static boolean noNewConnection(SQLException e) {
        return e instanceof SQLTransientConnectionException && e.getCause() instanceof SQLException;
    }

    /**
     * After a lost connection, whether the database itself is still there: a new
     * connection from the pool that answers. The pool drops the broken one, so a
     * single terminated backend ({@code pg_terminate_backend}, a restarted
     * pgbouncer) costs the batch it carried and nothing more; a server that is down
     * or a database that was dropped gives no connection within the pool's
     * {@code connectionTimeout} (30 s in the gateway) and is gone for good.
     */
    private boolean answers() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(5);
        } catch (SQLException e) {
            log.error("the database gives no new connection: {}", e.getMessage());
            return false;
        }
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
