package io.chatmsg.account;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.support.TestLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hashing pool's bounds, with an encoder whose hashing waits until the test lets it finish. */
class PasswordsTests {

    private final CountDownLatch hashing = new CountDownLatch(1);
    private final PasswordEncoder encoder = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            try {
                hashing.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "hash:" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String hash) {
            return hash.equals("hash:" + raw);
        }
    };
    private final List<BoundedPool> pools = new ArrayList<>();
    private final Passwords passwords = passwords("threads", "2");

    /** Passwords with the pool the application makes, from {@code chat.passwords.*} ({@code keyValues}). */
    private Passwords passwords(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put("chat.passwords." + keyValues[i], keyValues[i + 1]);
        }
        PasswordProperties properties = new Binder(new MapConfigurationPropertySource(map))
                .bindOrCreate("chat.passwords", PasswordProperties.class);
        BoundedPool pool = new AccountConfiguration().passwordPool(properties);
        pools.add(pool);
        return new Passwords(encoder, TestLimits.of(), pool);
    }

    @AfterEach
    void finish() {
        hashing.countDown();
        pools.forEach(BoundedPool::destroy);
    }

    @Test
    void registersStuckInHashingLeaveAThreadForLoginChecks() throws Exception {
        List<CompletableFuture<String>> registers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            registers.add(passwords.hashForRegister("198.51.100." + i, "password-" + i));
        }

        CompletableFuture<Boolean> login =
                passwords.matchesIfAllowed("203.0.113.9", () -> true, "right-password", "hash:right-password");

        assertThat(login.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(registers).noneMatch(CompletableFuture::isDone);
        hashing.countDown();
        for (int i = 0; i < 20; i++) {
            assertThat(registers.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("hash:password-" + i);
        }
    }

    @Test
    void oneAddressMayHaveSixteenHashesPendingAndTheRestAreRefusedAtOnce() throws Exception {
        List<CompletableFuture<String>> mine = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            mine.add(passwords.hashForRegister("203.0.113.7", "password-" + i));
        }

        CompletableFuture<Boolean> more = passwords.matchesIfAllowed("203.0.113.7", () -> true, "pw", "hash:pw");

        assertThat(more).isCompletedExceptionally();
        assertThat(more.handle((v, e) -> e).join()).isInstanceOf(Passwords.TooManyPending.class);
        // Another address is not held up by it; loopback is exempt (exempt-loopback).
        assertThat(passwords
                        .matchesIfAllowed("203.0.113.8", () -> true, "pw", "hash:pw")
                        .get(5, TimeUnit.SECONDS))
                .isTrue();
        assertThat(passwords.hashForRegister("127.0.0.1", "x-password")).isNotCompletedExceptionally();
        hashing.countDown();
        CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> passwords
                .matchesIfAllowed("203.0.113.7", () -> true, "pw", "hash:pw")
                .get(5, TimeUnit.SECONDS));
    }

    @Test
    void registersBeyondTheQueueAreRefusedAsBusy() {
        for (int i = 0; i < 1 + 64; i++) {
            assertThat(passwords.hashForRegister("198.51.100." + i, "password-" + i))
                    .isNotCompletedExceptionally();
        }

        CompletableFuture<String> refused = passwords.hashForRegister("198.51.100.99", "one-too-many");

        Throwable why = refused.handle((v, e) -> e).join();
        assertThat(why).isInstanceOf(RejectedExecutionException.class).isNotInstanceOf(Passwords.TooManyPending.class);
    }

    @Test
    void theHashingPoolIsNamedAndSizedByItsProperties() throws Exception {
        assertThat(pools.get(0).getMaximumPoolSize()).isEqualTo(2);
        assertThat(pools.get(0).queueCapacity()).isEqualTo(1024);

        CompletableFuture<String> thread = new CompletableFuture<>();

        boolean matched = passwords
                .matchesIfAllowed(
                        "127.0.0.1",
                        () -> thread.complete(Thread.currentThread().getName()),
                        "pw",
                        "hash:pw")
                .get(5, TimeUnit.SECONDS);

        assertThat(matched).isTrue();
        assertThat(thread.getNow(null)).startsWith("password-");
    }

    @Test
    void checksBeyondThePoolsQueueAreRefusedAsBusy() throws Exception {
        Passwords small = passwords("threads", "2", "queue-capacity", "4");
        CountDownLatch held = new CountDownLatch(1);
        BooleanSupplier holdTheThread = () -> {
            try {
                return held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
        List<CompletableFuture<Boolean>> accepted = new ArrayList<>();
        for (int i = 0; i < 2 + 4; i++) {
            accepted.add(small.matchesIfAllowed("127.0.0.1", holdTheThread, "pw", "hash:pw"));
        }

        CompletableFuture<Boolean> refused = small.matchesIfAllowed("127.0.0.1", () -> true, "pw", "hash:pw");

        Throwable why = refused.handle((v, e) -> e).join();
        assertThat(why).isInstanceOf(RejectedExecutionException.class).isNotInstanceOf(Passwords.TooManyPending.class);
        held.countDown();
        for (CompletableFuture<Boolean> f : accepted) {
            assertThat(f.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
