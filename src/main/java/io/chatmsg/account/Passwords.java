package io.chatmsg.account;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Hashing and checking passwords: deliberately slow (BCrypt), so it runs on
 * its own small pool with a bounded queue, never on an event loop. A full
 * queue fails the future at once (the client gets 503).
 */
@Service
public class Passwords implements DisposableBean {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private final PasswordEncoder encoder;
    private final ThreadPoolExecutor pool;

    Passwords(PasswordEncoder encoder) {
        this.encoder = encoder;
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
        this.pool = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "password-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Null when {@code password} is acceptable, else why not (PROTOCOL.md: 8 to 128 printable, no spaces). */
    public static String problem(String password) {
        int n = password.codePointCount(0, password.length());
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            return "password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        boolean printable = password.codePoints()
                .allMatch(c -> c > 0x20 && c != 0x7f && !Character.isISOControl(c) && !Character.isWhitespace(c));
        return printable ? null : "password must be printable characters without spaces";
    }

    public CompletableFuture<String> hash(String password) {
        return submit(() -> encoder.encode(password));
    }

    public CompletableFuture<Boolean> matches(String password, String hash) {
        return submit(() -> encoder.matches(password, hash));
    }

    /**
     * Checks the password only if {@code stillAllowed} says so when its turn comes
     * (completes with null otherwise): guesses pipelined before the throttle trips
     * are not each given an expensive hash.
     */
    public CompletableFuture<Boolean> matchesIfAllowed(
            java.util.function.BooleanSupplier stillAllowed, String password, String hash) {
        return submit(() -> stillAllowed.getAsBoolean() ? encoder.matches(password, hash) : null);
    }

    /** For the operator's page: the same hashing, on the caller's thread. */
    public String hashNow(String password) {
        return encoder.encode(password);
    }

    private <T> CompletableFuture<T> submit(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
