package io.chatmsg.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.config.LimitsProperties;
import org.springframework.stereotype.Service;

/**
 * How many REGISTERs may be hashed: token buckets per address
 * ({@code chat.limits.register-burst}, loopback exempt with {@code exempt-loopback})
 * and per connection ({@code chat.limits.register-burst-per-connection}, loopback
 * included), each earning one more REGISTER per {@code chat.limits.register-interval}.
 * Every REGISTER creates an account for good and costs a deliberately slow hash.
 */
@Service
public class RegisterThrottle {

    private static final int MAX_TRACKED = 100_000;

    private final ConcurrentHashMap<String, TokenBucket> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int burst;
    private final int perConnection;
    private final Duration interval;
    private final boolean exemptLoopback;

    RegisterThrottle(Clock clock, LimitsProperties limits) {
        this.clock = clock;
        this.burst = limits.registerBurst();
        this.perConnection = limits.registerBurstPerConnection();
        this.interval = limits.registerInterval();
        this.exemptLoopback = limits.exemptLoopback();
    }

    /** A new connection's allowance; the connection keeps it and uses it only on its own thread. */
    public TokenBucket forConnection() {
        return new TokenBucket(perConnection, interval, clock.instant());
    }

    /**
     * Null when a REGISTER from {@code address} on the connection that holds {@code connection}
     * may go ahead (it has used one REGISTER of both allowances), else the text of its 429.
     */
    public String refused(String address, TokenBucket connection) {
        Instant now = clock.instant();
        Duration wait = connection.wait(now);
        if (wait != null) {
            return "too many REGISTERs on this connection; try again in " + seconds(wait) + " s";
        }
        if (!(exemptLoopback && Addresses.isLoopback(address))) {
            if (byAddress.size() >= MAX_TRACKED) {
                byAddress.values().removeIf(b -> {
                    synchronized (b) {
                        return b.full(now);
                    }
                });
            }
            TokenBucket mine = byAddress.computeIfAbsent(address, a -> new TokenBucket(burst, interval, now));
            synchronized (mine) {
                wait = mine.wait(now);
                if (wait != null) {
                    return "too many REGISTERs from your address; try again in " + seconds(wait) + " s";
                }
                mine.take();
            }
        }
        connection.take();
        return null;
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
