package io.chatmsg.account;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;

import com.zaxxer.hikari.HikariDataSource;
import io.chatmsg.store.Vendor;
import io.chatmsg.support.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Bans on their own, over a real (in-memory) H2 database: what lifting leaves behind. */
class BansTests {

    private HikariDataSource ds;
    private JdbcTemplate jdbc;
    /** The background executor, run by hand so the test decides when the deferred writes happen. */
    private final Queue<Runnable> background = new ArrayDeque<>();

    private Bans bans;

    @BeforeEach
    void open() {
        ds = new HikariDataSource();
        // An H2 database in memory, or a PostgreSQL one of its own (TestStore).
        ds.setJdbcUrl(
                TestStore.postgresql()
                        ? TestStore.newPostgresDatabase()
                        : "jdbc:h2:mem:bans" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.setUsername(TestStore.user());
        Vendor.flyway(ds).migrate();
        jdbc = new JdbcTemplate(ds);
        bans = reloaded();
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void aLiftedRangeBanLetsItsAddressesInAndLeavesNothingBehind() throws Exception {
        bans.banAddress("127.0.0.0/8", "test", null, "operator");
        assertThat(bans.ofAddress(InetAddress.getByName("127.0.0.7"))).isNotNull();

        assertThat(bans.lift(Bans.ADDRESS, "127.0.0.0/8")).isTrue();

        assertThat(bans.ofAddress(InetAddress.getByName("127.0.0.7"))).isNull();
        assertThat(bans.all()).isEmpty();
        assertThat(entriesHeld(bans)).as("entries still held in memory").isZero();
        assertThat(reloaded().all()).isEmpty();
    }

    @Test
    void aBanLiftedBeforeItsDeferredWriteStaysLifted() throws Exception {
        bans.banNow(Bans.ADDRESS, "127.0.0.9", "reconnecting in a loop", null, "flap detector");
        bans.banNow(Bans.ID, "Looper", "logging in in a loop", null, "flap detector");
        assertThat(bans.ofAddress(InetAddress.getByName("127.0.0.9"))).isNotNull();
        assertThat(bans.ofId("looper")).isNotNull();

        bans.lift(Bans.ADDRESS, "127.0.0.9");
        bans.lift(Bans.ID, "looper");
        runBackground();

        assertThat(bans.ofAddress(InetAddress.getByName("127.0.0.9"))).isNull();
        assertThat(bans.ofId("looper")).isNull();
        assertThat(reloaded().all()).isEmpty();
    }

    @Test
    void aDeferredBanIsWrittenWhenNotLifted() throws Exception {
        bans.banNow(Bans.ADDRESS, "127.0.0.9", "reconnecting in a loop", null, "flap detector");
        runBackground();

        assertThat(reloaded().ofAddress(InetAddress.getByName("127.0.0.9")))
                .extracting(Bans.Ban::reason)
                .isEqualTo("reconnecting in a loop");
    }

    private Bans reloaded() {
        return new Bans(jdbc, Clock.systemUTC(), background::add, Vendor.of(ds));
    }

    private void runBackground() {
        for (Runnable r; (r = background.poll()) != null; ) {
            r.run();
        }
    }

    /** Everything the instance holds in its maps, whatever they are called. */
    private static int entriesHeld(Bans bans) throws IllegalAccessException {
        int n = 0;
        for (Field f : Bans.class.getDeclaredFields()) {
            if (Map.class.isAssignableFrom(f.getType())) {
                f.setAccessible(true);
                n += ((Map<?, ?>) f.get(bans)).size();
            }
        }
        return n;
    }
}
