package io.chatmsg.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.config.LimitsProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Failed password checks per address and per id (PROTOCOL.md section 4): after
 * {@code chat.limits.login-failures} (5) failures, password LOGINs from that
 * address, or for that id, get 429 for a back-off that doubles with each further failure,
 * from {@code chat.limits.login-backoff} (1 s) up to
 * {@code chat.limits.login-backoff-max} (15 min). A success clears it.
 */
@Service
public class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    private record State(int failures, Instant blockedUntil, Instant lastFailure) {}

    private final ConcurrentHashMap<String, State> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final int allowed;
    private final Duration backoff;
    private final Duration backoffMax;

    LoginThrottle(Clock clock, LimitsProperties limits, ApplicationEventPublisher events) {
        this.clock = clock;
        this.events = events;
        this.allowed = limits.loginFailures();
        this.backoff = limits.loginBackoff();
        this.backoffMax = limits.loginBackoffMax();
    }

    /** How long a LOGIN of {@code id} from {@code address} must still wait, or null when it may try. */
    public Duration blocked(String address, String id) {
        Duration a = blocked("address:" + address);
        Duration i = blocked("id:" + id.toLowerCase(java.util.Locale.ROOT));
        return a == null ? i : i == null || a.compareTo(i) > 0 ? a : i;
    }

    public void failed(String address, String id) {
        failed("address:" + address);
        failed("id:" + id.toLowerCase(java.util.Locale.ROOT));
    }

    public void succeeded(String address, String id) {
        succeeded("address:" + address);
        succeeded("id:" + id.toLowerCase(java.util.Locale.ROOT));
    }

    /** How long {@code key} must still wait, or null when it may try. */
    public Duration blocked(String key) {
        State s = byAddress.get(key);
        if (s == null || s.blockedUntil() == null) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), s.blockedUntil());
        return left.isNegative() || left.isZero() ? null : left;
    }

    private void failed(String address) {
        Instant now = clock.instant();
        if (byAddress.size() >= MAX_TRACKED) {
            forgetOld(now);
        }
        byAddress.compute(address, (a, s) -> {
            int failures = (s == null ? 0 : s.failures()) + 1;
            Instant until = null;
            if (failures >= allowed) {
                long factor = 1L << Math.min(30, failures - allowed);
                Duration wait = backoff.multipliedBy(factor);
                until = now.plus(wait.compareTo(backoffMax) > 0 ? backoffMax : wait);
            }
            if (failures == allowed) {
                events.publishEvent(new SecurityEvent(
                        "login throttled",
                        a,
                        failures + " failed password checks; "
                                + "password LOGINs refused with 429 for a growing back-off",
                        null));
            }
            return new State(failures, until, now);
        });
    }

    /** Clears one key ({@code address:...} or {@code id:...}), or a bare address (tests). */
    public void succeeded(String key) {
        byAddress.remove(key);
        byAddress.remove("address:" + key);
    }

    /** Keeps the table bounded: addresses quiet for longer than the longest back-off are forgotten. */
    private void forgetOld(Instant now) {
        Instant cutoff = now.minus(backoffMax);
        byAddress.entrySet().removeIf(e -> e.getValue().lastFailure().isBefore(cutoff));
    }
}
