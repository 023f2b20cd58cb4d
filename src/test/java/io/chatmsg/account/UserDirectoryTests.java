package io.chatmsg.account;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.IntStream;

import io.chatmsg.config.LimitsProperties;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.store.Vendor;
import io.chatmsg.support.MigratedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The in-memory directory of ids over a real H2 file: its answers, its bound, its cost per id. */
class UserDirectoryTests {

    private static final Logger log = LoggerFactory.getLogger(UserDirectoryTests.class);
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    /** NOW as a row value both databases' drivers take. */
    private static final OffsetDateTime NOW_ROW = NOW.atOffset(ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private MigratedStore store;
    private GroupCommitWriter writer;
    private JdbcTemplate jdbc;

    @BeforeEach
    void open() {
        store = new MigratedStore(dataDir);
        writer = store.writer;
        jdbc = store.jdbc;
    }

    @AfterEach
    void close() {
        store.close();
    }

    private UserDirectory directory(int maxKnownIds) {
        LimitsProperties limits = new Binder(
                        new MapConfigurationPropertySource(Map.of("chat.limits.max-known-ids", maxKnownIds)))
                .bindOrCreate("chat.limits", LimitsProperties.class);
        return new UserDirectory(jdbc, writer, limits, Vendor.of(store.dataSource));
    }

    @Test
    void keepsTheIdAsFirstRegisteredAndItsPasswordAcrossRestarts() {
        UserDirectory users = directory(100);
        assertThat(users.recordLogin("Alice", NOW)).isEqualTo("Alice");
        assertThat(users.recordLogin("ALICE", NOW)).isEqualTo("Alice");
        assertThat(users.recordLogin("bob", NOW)).isEqualTo("bob");
        assertThat(users.register("Carol", "{bcrypt}hash", NOW).join()).isEqualTo("Carol");
        assertThat(users.register("bob", "{bcrypt}bobs", NOW).join()).isEqualTo("bob");
        assertThat(users.displayId("alice")).isEqualTo("Alice");
        assertThat(users.passwordHash("CAROL")).isEqualTo("{bcrypt}hash");
        assertThat(users.isRegistered("Alice")).isFalse();
        assertThat(users.displayId("nobody")).isNull();
        await().until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM users", Integer.class) == 3);

        UserDirectory restarted = directory(100);
        assertThat(restarted.displayId("ALICE")).isEqualTo("Alice");
        assertThat(restarted.displayId("BOB")).isEqualTo("bob");
        assertThat(restarted.passwordHash("bob")).isEqualTo("{bcrypt}bobs");
        assertThat(restarted.displayId("carol")).isEqualTo("Carol");
        assertThat(restarted.displayIds()).containsExactlyInAnyOrder("Alice", "bob", "Carol");
    }

    @Test
    void beyondItsBoundNewIdsAreRefusedWhileKnownOnesStillLogIn() {
        UserDirectory users = directory(3);
        for (String id : new String[] {"a1", "a2", "A3"}) {
            assertThat(users.recordLogin(id, NOW)).isEqualTo(id);
        }
        assertThat(users.recordLogin("a4", NOW)).isNull();
        assertThat(users.isFull()).isTrue();
        assertThat(users.size()).isEqualTo(3);
        assertThat(users.displayId("a4")).isNull();
        assertThat(users.recordLogin("a3", NOW)).isEqualTo("A3");
        // The operator deletes one: there is room again.
        assertThat(users.delete("a1").join()).isTrue();
        assertThat(users.isFull()).isFalse();
        assertThat(users.recordLogin("a4", NOW)).isEqualTo("a4");
    }

    @Test
    void anIdCostsAboutAHundredBytesOfHeap() {
        int n = 200_000;
        jdbc.batchUpdate(
                "INSERT INTO users (id_key, display_id, first_seen, last_seen) VALUES (?, ?, ?, ?)",
                IntStream.range(0, n)
                        .mapToObj(i ->
                                new Object[] {"flood-" + i, (i % 10 == 0 ? "Flood-" : "flood-") + i, NOW_ROW, NOW_ROW})
                        .toList());
        UserDirectory users = directory(1_000_000);
        // With the database closed, what stays reachable beyond the baseline is the directory alone.
        store.close();
        long with = usedHeap();
        assertThat(users.size()).isEqualTo(n);
        users = null;
        long without = usedHeap();
        long perId = (with - without) / n;
        log.info(
                "user directory: {} ids of 11-12 characters (a tenth not lower-case): {} bytes of heap per id",
                n,
                perId);
        assertThat(perId).isBetween(60L, 130L);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }
}
