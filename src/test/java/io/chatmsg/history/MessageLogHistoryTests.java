package io.chatmsg.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.support.MigratedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** HISTORY over the bucketed conversation index (V12): the walk across buckets, gaps and retention. */
class MessageLogHistoryTests {

    @TempDir
    Path dataDir;

    private MigratedStore store;
    private MessageLog log;

    @BeforeEach
    void open() {
        store = new MigratedStore(dataDir);
        log = new MessageLog(store.writer, store.jdbc, Clock.systemUTC(), Runnable::run);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void walksBucketsNewestFirstAcrossGaps() {
        // Ids of the alice-bob conversation in buckets 0, 0, 1, 4 and 24; others in between.
        long[] ours = {1, 4090, 4096, 20_000, 100_000};
        for (long id : ours) {
            append(id, id % 2 == 0 ? "alice" : "Bob", id % 2 == 0 ? "bob" : "alice", "m" + id);
            append(id + 2, "alice", "carol", "other" + id);
            append(id + 3, "carol", "bob", "other" + id);
        }
        assertThat(ids(log.history("alice", "bob", 500))).containsExactly(ours[0], ours[1], ours[2], ours[3], ours[4]);
        assertThat(ids(log.history("bob", "alice", 2))).containsExactly(20_000L, 100_000L);
        assertThat(ids(log.history("bob", "alice", 3))).containsExactly(4096L, 20_000L, 100_000L);
        assertThat(log.history("bob", "alice", 1).join().get(0).text()).isEqualTo("m100000");
        assertThat(ids(log.history("alice", "dave", 20))).isEmpty();
    }

    @Test
    void broadcastsAndAnEmptyLog() {
        assertThat(ids(log.history("alice", null, 20))).isEmpty();
        append(9000, "alice", "ALL", "hello all");
        assertThat(ids(log.history("zed", null, 20))).containsExactly(9000L);
    }

    @Test
    void startsAtTheOldestMessageKept() {
        append(5, "alice", "bob", "old");
        append(50_000, "alice", "bob", "new");
        store.jdbc.update("DELETE FROM messages WHERE id = 5");
        assertThat(ids(log.history("alice", "bob", 20))).containsExactly(50_000L);
    }

    private void append(long id, String from, String to, String text) {
        CompletableFuture<Void> done = "ALL".equals(to)
                ? log.appendBroadcast(id, Instant.now(), from, text)
                : log.appendDelivered(id, Instant.now(), from, to, text);
        done.join();
    }

    private static List<Long> ids(CompletableFuture<List<StoredMessage>> history) {
        return history.join().stream().map(StoredMessage::id).toList();
    }
}
