package io.chatmsg.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.config.LimitsProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Failed password checks per address and per id (docs/protocol.md, Commands): after
 * {@code chat.limits.login-failures} (5) failures, password LOGINs from that
 * address, or for that id, get 429 for a back-off that doubles with each further failure,
 * from {@code chat.limits.login-backoff} (1 s) up to
 * {@code chat.limits.login-backoff-max} (15 min).
 *
 * <p>A success clears only the count of the id that logged in. It never clears the
 * address's count: that would let one address guess at other ids without end by
 * logging in to an id of its own between guesses. Instead every count shrinks by
 * one for each {@code chat.limits.login-failure-decay} (1 min) without a failure.
 */
@Service
public class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    /** {@code failures} as of {@code since}, the last failure or the last decay step. */
    private record State(int failures, Instant since, Instant blockedUntil) {}

    private final ConcurrentHashMap<String, State> counts = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final int allowed;
    private final Duration backoff;
    private final Duration backoffMax;
    private final Duration decay;

    LoginThrottle(Clock clock, LimitsProperties limits, ApplicationEventPublisher events) {
        this.clock = clock;
        this.events = events;
        this.allowed = limits.loginFailures();
        this.backoff = limits.loginBackoff();
        this.backoffMax = limits.loginBackoffMax();
        this.decay = limits.loginFailureDecay();
    }

    /** How long a LOGIN of {@code id} from {@code address} must still wait, or null when it may try. */
    public Duration blocked(String address, String id) {
        Duration a = blocked(addressKey(address));
        Duration i = blocked(idKey(id));
        return a == null ? i : i == null || a.compareTo(i) > 0 ? a : i;
    }

    public void failed(String address, String id) {
        failed(addressKey(address));
        failed(idKey(id));
    }

    /** Clears the id's count only: the address keeps its failures until they decay. */
    public void succeeded(String address, String id) {
        counts.remove(idKey(id));
    }

    /** Forgets an address's failures (tests, which all connect from the same address). */
    public void forgetAddress(String address) {
        counts.remove(addressKey(address));
    }

    private Duration blocked(String key) {
        State s = counts.get(key);
        if (s == null || s.blockedUntil() == null) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), s.blockedUntil());
        return left.isNegative() || left.isZero() ? null : left;
    }

    private void failed(String key) {
        Instant now = clock.instant();
        if (counts.size() >= MAX_TRACKED) {
            forgetOld(now);
        }
        counts.compute(key, (k, s) -> {
            int failures = (s == null ? 0 : decayed(s, now).failures()) + 1;
            Instant until = null;
            if (failures >= allowed) {
                long factor = 1L << Math.min(30, failures - allowed);
                Duration wait = backoff.multipliedBy(factor);
                until = now.plus(wait.compareTo(backoffMax) > 0 ? backoffMax : wait);
            }
            if (failures == allowed) {
                events.publishEvent(new SecurityEvent(
                        "login throttled",
                        k,
                        failures + " failed password checks; "
                                + "password LOGINs refused with 429 for a growing back-off",
                        null));
            }
            return new State(failures, now, until);
        });
    }

    /** {@code s} after one failure forgiven per whole decay interval since it last changed. */
    private State decayed(State s, Instant now) {
        long steps = Duration.between(s.since(), now).dividedBy(decay);
        if (steps <= 0) {
            return s;
        }
        int left = (int) Math.max(0, s.failures() - steps);
        return new State(left, s.since().plus(decay.multipliedBy(Math.min(steps, s.failures()))), s.blockedUntil());
    }

    /** Keeps the table bounded: counts that have decayed to nothing and block nobody are forgotten. */
    private void forgetOld(Instant now) {
        counts.entrySet().removeIf(e -> {
            State s = e.getValue();
            return decayed(s, now).failures() == 0
                    && (s.blockedUntil() == null || !s.blockedUntil().isAfter(now));
        });
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String idKey(String id) {
        return "id:" + id.toLowerCase(Locale.ROOT);
    }
}
