package io.chatmsg.store;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;

/**
 * Ids from a database sequence, taken a block at a time: the sequence steps by
 * {@code blockSize} ({@code V14__id_sequences.sql}), so one {@code nextval} reserves
 * {@code blockSize} ids for this process alone. Ids are unique across every process
 * on the database and increase within one; a restart skips what was left of its block.
 *
 * <p>{@link #next()} runs on event loops and does not touch the database while a
 * block lasts: halfway through a block the next one is fetched on {@code refill}.
 * Only if a whole half block is used up before that fetch returns does a caller
 * fetch one itself ({@link #blockingFetches()} counts those).
 */
public final class IdBlocks {

    private static final Logger log = LoggerFactory.getLogger(IdBlocks.class);

    private final JdbcTemplate jdbc;
    private final String sql;
    private final int blockSize;
    private final Executor refill;
    private volatile Block current;
    private final AtomicReference<Block> spare = new AtomicReference<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicLong blockingFetches = new AtomicLong();

    /** Message ids: {@code message_ids} steps by 1000. */
    public static IdBlocks messages(JdbcTemplate jdbc, Executor refill) {
        return new IdBlocks(jdbc, "message_ids", 1000, refill);
    }

    /** Session ids: {@code session_ids} steps by 100 (sessions come far slower than messages). */
    public static IdBlocks sessions(JdbcTemplate jdbc, Executor refill) {
        return new IdBlocks(jdbc, "session_ids", 100, refill);
    }

    /** Fetches the first block now (at start-up, off any event loop). */
    IdBlocks(JdbcTemplate jdbc, String sequence, int blockSize, Executor refill) {
        if (!sequence.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a sequence name: " + sequence);
        }
        this.jdbc = jdbc;
        this.sql = "SELECT nextval('" + sequence + "')";
        this.blockSize = blockSize;
        this.refill = refill;
        this.current = fetch();
    }

    /** The next id: unique on this database, larger than every id this instance gave before. */
    public long next() {
        while (true) {
            Block b = current;
            long id = b.cursor.getAndIncrement();
            if (id < b.end) {
                if (id == b.halfway) {
                    prefetch();
                }
                return id;
            }
            synchronized (this) {
                if (current == b) {
                    Block s = spare.getAndSet(null);
                    // A spare whose fetch began before a caller's own fetch (below) can be
                    // older than the block it would follow: ids must only go up.
                    if (s == null || s.first < b.end) {
                        blockingFetches.incrementAndGet();
                        s = fetch();
                    }
                    current = s;
                }
            }
        }
    }

    /**
     * Cluster mode: a fresh block every {@code every}, whatever is left of the current one,
     * so that ids of several nodes follow time to within that (HISTORY lists by id). The
     * fresh block comes from the sequence after every earlier one: ids still only go up.
     */
    public void renewEvery(Duration every, TaskScheduler scheduler) {
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        Block fresh = fetch();
                        synchronized (this) {
                            spare.set(null);
                            if (fresh.first > current.first) {
                                current = fresh;
                            }
                        }
                    } catch (RuntimeException e) {
                        log.debug("could not renew the block of ids: {}", e.getMessage());
                    }
                },
                every);
    }

    /** Times a caller had to wait for the database because no block was ready. */
    public long blockingFetches() {
        return blockingFetches.get();
    }

    private void prefetch() {
        if (spare.get() != null || !fetching.compareAndSet(false, true)) {
            return;
        }
        try {
            refill.execute(() -> {
                try {
                    spare.compareAndSet(null, fetch());
                } catch (RuntimeException e) {
                    log.warn("could not reserve the next block of ids: {}", e.getMessage());
                } finally {
                    fetching.set(false);
                }
            });
        } catch (RuntimeException e) {
            fetching.set(false); // refused (shutting down): the block's end fetches one itself
        }
    }

    private Block fetch() {
        Long first = jdbc.queryForObject(sql, Long.class);
        if (first == null) {
            throw new IllegalStateException(sql + " returned nothing");
        }
        return new Block(first, blockSize);
    }

    private static final class Block {
        final long first;
        final AtomicLong cursor;
        final long end;
        final long halfway;

        Block(long first, int size) {
            this.first = first;
            this.cursor = new AtomicLong(first);
            this.end = first + size;
            this.halfway = first + size / 2;
        }
    }
}
