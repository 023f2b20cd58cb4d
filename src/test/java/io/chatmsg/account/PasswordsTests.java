package io.chatmsg.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.chatmsg.support.TestLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
    private final Passwords passwords = new Passwords(encoder, TestLimits.of(), 2);

    @AfterEach
    void finish() {
        hashing.countDown();
        passwords.destroy();
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
}
