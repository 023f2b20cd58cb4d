package io.chatmsg.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.support.MigratedStore;
import io.chatmsg.support.TestStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids from the sequences of V14, on H2 and (in the build's PostgreSQL run) on PostgreSQL. */
class IdBlocksTests {

    @TempDir
    Path dir;

    private MigratedStore store;

    @BeforeEach
    void open() {
        store = new MigratedStore(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theMigrationStepsEachSequenceByItsBlockSize() {
        for (String sequence : List.of("message_ids", "session_ids")) {
            Long a = store.jdbc.queryForObject("SELECT nextval('" + sequence + "')", Long.class);
            Long b = store.jdbc.queryForObject("SELECT nextval('" + sequence + "')", Long.class);
            int expected = sequence.equals("message_ids") ? 1000 : 100;
            assertThat(b - a).as(sequence).isEqualTo(expected);
        }
    }

    @Test
    void twoProcessesOnOneDatabaseNeverShareAnIdAndEachCountsUp() throws Exception {
        // Two "nodes", each with its own blocks, taking ids from four threads each.
        IdBlocks one = IdBlocks.messages(store.jdbc, Runnable::run);
        IdBlocks two = IdBlocks.messages(store.jdbc, Runnable::run);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                IdBlocks node = t % 2 == 0 ? one : two;
                runs.add(threads.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) {
                        mine.add(node.next());
                    }
                    return mine;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> run : runs) {
                List<Long> mine = run.get();
                for (int i = 1; i < mine.size(); i++) {
                    assertThat(mine.get(i)).isGreaterThan(mine.get(i - 1));
                }
                all.addAll(mine);
            }
            assertThat(all).hasSize(40_000);
            assertThat(all).allSatisfy(id -> assertThat(id).isPositive());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theNextBlockIsFetchedAheadSoNoCallerWaitsForTheDatabase() {
        ConcurrentLinkedQueue<Runnable> refills = new ConcurrentLinkedQueue<>();
        IdBlocks ids = IdBlocks.sessions(store.jdbc, refills::add);
        long first = ids.next();
        for (int i = 1; i < 50; i++) {
            ids.next();
        }
        assertThat(refills).as("nothing asked before the block is half used").isEmpty();
        ids.next(); // the 51st of 100: halfway
        assertThat(refills).hasSize(1);
        refills.poll().run();
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = ids.next();
        }
        assertThat(ids.blockingFetches()).isZero();
        assertThat(last).isGreaterThan(first + 99);
    }

    @Test
    void withNoBlockReadyACallerFetchesOneItselfAndItIsCounted() {
        IdBlocks ids = IdBlocks.sessions(store.jdbc, task -> {}); // a refill that never runs
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 250; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
        assertThat(ids.blockingFetches()).isEqualTo(2);
    }

    @Test
    void anExistingDatabaseGetsIdsPastItsRows() throws Exception {
        // A data dir from before V14: its ids came from MAX(id). V14 starts the sequences past them.
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(TestStore.newUrl(dir.resolve("older")));
            ds.setUsername(TestStore.user());
            Vendor vendor = Vendor.of(ds);
            Flyway.configure()
                    .dataSource(ds)
                    .locations(vendor.migrationLocations())
                    .target("13")
                    .load()
                    .migrate();
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            jdbc.update("INSERT INTO sessions (id, remote_address, transport, connected_at)"
                    + " VALUES (77, '127.0.0.1:1', 'tcp', CURRENT_TIMESTAMP)");
            jdbc.update("INSERT INTO messages (id, sent_at, sender, recipient, sender_key, recipient_key,"
                    + " conversation, text, status) VALUES (4321, CURRENT_TIMESTAMP, 'a', 'b', 'a', 'b', 'a b',"
                    + " 'old', 'delivered')");
            Vendor.flyway(ds).migrate();
            assertThat(IdBlocks.messages(jdbc, Runnable::run).next()).isEqualTo(4322);
            assertThat(IdBlocks.sessions(jdbc, Runnable::run).next()).isEqualTo(78);
        }
    }
}
