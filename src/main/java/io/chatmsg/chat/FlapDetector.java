package io.chatmsg.chat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

import io.chatmsg.account.Bans;
import io.chatmsg.account.SecurityEvent;
import io.chatmsg.config.LimitsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Flapping, as EMQX calls it: an address that connects and drops again, or an id
 * that logs in, more than {@code chat.limits.flap-limit} times within a minute is
 * banned for {@code chat.limits.flap-ban} (a ban with an expiry, listed with the
 * others, by "flapping detector"). Loopback is exempt with {@code exempt-loopback}.
 *
 * <p>For an address, what counts is a connection that closed within
 * {@code chat.limits.flap-short-connection} of opening, not a connection opening:
 * users behind one NAT reconnecting together after a restart open many
 * connections at once and keep them, and meet the per-address connection cap,
 * not a ban. Connections refused at the cap or for a ban are not counted.
 */
@Service
public class FlapDetector {

    static final String BY = "flapping detector";
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(FlapDetector.class);

    private final ConcurrentHashMap<String, Deque<Instant>> recent = new ConcurrentHashMap<>();
    private final Bans bans;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final int limit;
    private final Duration banFor;
    private final Duration shortConnection;
    private final boolean exemptLoopback;

    FlapDetector(Bans bans, Clock clock, LimitsProperties limits, ApplicationEventPublisher events) {
        this.bans = bans;
        this.events = events;
        this.clock = clock;
        this.limit = limits.flapLimit();
        this.banFor = limits.flapBan();
        this.shortConnection = limits.flapShortConnection();
        this.exemptLoopback = limits.exemptLoopback();
    }

    /**
     * A connection from {@code address}, open since {@code openedAt}, has closed; true when
     * the address has just been banned for flapping.
     */
    public boolean closed(InetAddress address, Instant openedAt) {
        if (exemptLoopback && address.isLoopbackAddress()) {
            return false;
        }
        if (Duration.between(openedAt, clock.instant()).compareTo(shortConnection) >= 0) {
            return false;
        }
        String ip = address.getHostAddress();
        if (!tooMany("address:" + ip)) {
            return false;
        }
        log.warn("address {} dropped more than {} short connections in a minute: banned for {}", ip, limit, banFor);
        bans.banNow(Bans.ADDRESS, ip, "reconnecting in a loop", clock.instant().plus(banFor), BY);
        events.publishEvent(
                new SecurityEvent("ban", "address " + ip, "reconnecting in a loop: banned for " + banFor, ip));
        return true;
    }

    /** A LOGIN of {@code id} from {@code address}; true when the id has just been banned for flapping. */
    public boolean loggedIn(String id, InetAddress address) {
        if (exemptLoopback && address != null && address.isLoopbackAddress()) {
            return false;
        }
        if (!tooMany("id:" + id.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        log.warn("id {} logged in more than {} times in a minute: banned for {}", id, limit, banFor);
        bans.banNow(Bans.ID, id, "logging in in a loop", clock.instant().plus(banFor), BY);
        events.publishEvent(new SecurityEvent(
                "ban",
                "id " + id,
                "logging in in a loop: banned for " + banFor,
                address == null ? null : address.getHostAddress()));
        return true;
    }

    private boolean tooMany(String key) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(WINDOW);
        if (recent.size() > 100_000) {
            recent.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || e.getValue().peekLast().isBefore(cutoff);
                }
            });
        }
        Deque<Instant> d = recent.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            while (!d.isEmpty() && d.peekFirst().isBefore(cutoff)) {
                d.pollFirst();
            }
            d.addLast(now);
            if (d.size() > limit) {
                d.clear();
                return true;
            }
            return false;
        }
    }
}
