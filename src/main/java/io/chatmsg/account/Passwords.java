package io.chatmsg.account;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.config.LimitsProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Hashing and checking passwords: deliberately slow (BCrypt), so it runs on
 * its own small pool with a bounded queue ({@code passwordPool}, sized by
 * {@code chat.passwords.*}), never on an event loop.
 *
 * <p>Three bounds keep a flood of REGISTERs (each one a hash) from starving
 * password LOGINs: one address may have at most
 * {@code chat.limits.max-pending-hashes-per-address} hashes queued or running
 * ({@link TooManyPending}, answered 429); REGISTER hashes take at most half the
 * threads, the rest waiting in a queue of {@code chat.limits.register-queue}
 * outside the pool, so a LOGIN's check never queues behind more than that half;
 * and a full queue fails the future at once (the client gets 503).
 */
@Service
public class Passwords {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    /** One address already has its share of hashes queued or running. */
    public static final class TooManyPending extends RejectedExecutionException {
        TooManyPending() {
            super("too many password checks in progress from your address");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an expected refusal: no stack to walk
        }
    }

    private record Waiting(Runnable task, CompletableFuture<?> result) {}

    private final PasswordEncoder encoder;
    private final BoundedPool pool;
    private final int registerThreads;
    private final int registerQueue;
    private final ArrayDeque<Waiting> registersWaiting = new ArrayDeque<>();
    private int registersInPool; // guarded by registersWaiting
    private final ConcurrentHashMap<String, Integer> pending = new ConcurrentHashMap<>();
    private final int maxPendingPerAddress;
    private final boolean exemptLoopback;

    /** REGISTER may use half of {@code pool}'s threads. */
    Passwords(PasswordEncoder encoder, LimitsProperties limits, @Qualifier("passwordPool") BoundedPool passwordPool) {
        this.encoder = encoder;
        this.pool = passwordPool;
        this.registerThreads = Math.max(1, passwordPool.getMaximumPoolSize() / 2);
        this.registerQueue = limits.registerQueue();
        this.maxPendingPerAddress = limits.maxPendingHashesPerAddress();
        this.exemptLoopback = limits.exemptLoopback();
    }

    /** Null when {@code password} is acceptable, else why not (docs/protocol.md: 8 to 128 printable, no spaces). */
    public static String problem(String password) {
        int n = password.codePointCount(0, password.length());
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            return "password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        boolean printable = password.codePoints()
                .allMatch(c -> c > 0x20 && c != 0x7f && !Character.isISOControl(c) && !Character.isWhitespace(c));
        return printable ? null : "password must be printable characters without spaces";
    }

    /** A REGISTER's hash, for a client at {@code address}: in REGISTER's part of the pool. */
    public CompletableFuture<String> hashForRegister(String address, String password) {
        return limited(address, () -> {
            CompletableFuture<String> result = new CompletableFuture<>();
            Runnable task = () -> {
                try {
                    result.complete(encoder.encode(password));
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                } finally {
                    nextRegister();
                }
            };
            synchronized (registersWaiting) {
                if (registersInPool >= registerThreads) {
                    if (registersWaiting.size() >= registerQueue) {
                        return CompletableFuture.failedFuture(new RejectedExecutionException("register queue full"));
                    }
                    registersWaiting.add(new Waiting(task, result));
                    return result;
                }
                registersInPool++;
            }
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                nextRegister();
                return CompletableFuture.failedFuture(e);
            }
            return result;
        });
    }

    /**
     * Checks the password only if {@code stillAllowed} says so when its turn comes
     * (completes with null otherwise): guesses pipelined before the throttle trips
     * are not each given an expensive hash.
     */
    public CompletableFuture<Boolean> matchesIfAllowed(
            String address, BooleanSupplier stillAllowed, String password, String hash) {
        return limited(address, () -> {
            try {
                return CompletableFuture.supplyAsync(
                        () -> stillAllowed.getAsBoolean() ? encoder.matches(password, hash) : null, pool);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** For the operator's page: the same hashing, on the caller's thread. */
    public String hashNow(String password) {
        return encoder.encode(password);
    }

    /** A REGISTER hash has left the pool (or never got in): the next waiting one takes its place. */
    private void nextRegister() {
        while (true) {
            Waiting next;
            synchronized (registersWaiting) {
                next = registersWaiting.poll();
                if (next == null) {
                    registersInPool--;
                    return;
                }
            }
            try {
                pool.execute(next.task());
                return;
            } catch (RejectedExecutionException e) {
                next.result().completeExceptionally(e); // the pool is full of LOGINs, or shutting down
            }
        }
    }

    /** {@code work} counted against {@code address}'s pending hashes, or refused with {@link TooManyPending}. */
    private <T> CompletableFuture<T> limited(String address, Supplier<CompletableFuture<T>> work) {
        if (exemptLoopback && Addresses.isLoopback(address)) {
            return work.get();
        }
        int[] now = new int[1];
        pending.compute(address, (a, n) -> now[0] = n == null ? 1 : n + 1);
        if (now[0] > maxPendingPerAddress) {
            release(address);
            return CompletableFuture.failedFuture(new TooManyPending());
        }
        CompletableFuture<T> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            release(address);
            throw e;
        }
        f.whenComplete((v, e) -> release(address));
        return f;
    }

    private void release(String address) {
        pending.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
}
