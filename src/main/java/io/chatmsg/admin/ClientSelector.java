package io.chatmsg.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import io.chatmsg.session.LiveSession;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Picks live clients for bulk actions (kick, targeted broadcast): by id prefix,
 * address or CIDR range, transport, and a minimum message rate. Empty fields
 * match everyone.
 *
 * @param idPrefix            case-insensitive start of the client id (clients not logged in never match it)
 * @param address             an IP address or a CIDR range such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}
 * @param transport           {@code tcp}, {@code tls} or {@code udp}
 * @param minMessagesPerMinute messages sent per minute, averaged over the session so far
 */
record ClientSelector(String idPrefix, String address, String transport, Double minMessagesPerMinute) {

    private static final Set<String> TRANSPORTS = Set.of("tcp", "tls", "udp");

    ClientSelector {
        idPrefix = blankToNull(idPrefix);
        address = blankToNull(address);
        transport = blankToNull(transport);
        if (transport != null && !TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException("transport must be tcp, tls or udp");
        }
        if (address != null) {
            try {
                new IpAddressMatcher(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "address must be an IP address or a CIDR range, not '" + address + "'");
            }
        }
        if (minMessagesPerMinute != null && (minMessagesPerMinute < 0 || minMessagesPerMinute.isNaN())) {
            throw new IllegalArgumentException("the minimum rate must be 0 or more");
        }
    }

    public boolean isEmpty() {
        return idPrefix == null && address == null && transport == null && minMessagesPerMinute == null;
    }

    /** Whether an offline id is selected: only an id prefix (or nothing) can say. */
    boolean selectsOfflineId(String id) {
        return address == null && transport == null && minMessagesPerMinute == null && idMatches(id);
    }

    /** The test for live sessions at {@code now}; the address matcher is built once, not per session. */
    Predicate<LiveSession> at(Instant now) {
        IpAddressMatcher range = address == null ? null : new IpAddressMatcher(address);
        return s -> {
            if (idPrefix != null && (s.clientId() == null || !idMatches(s.clientId()))) {
                return false;
            }
            if (transport != null && !transport.equals(s.transport())) {
                return false;
            }
            if (range != null && !range.matches(s.remoteIp())) {
                return false;
            }
            if (minMessagesPerMinute != null) {
                double minutes = Math.max(
                        1.0 / 60, Duration.between(s.connectedAt(), now).toMillis() / 60_000.0);
                return s.messagesIn() / minutes >= minMessagesPerMinute;
            }
            return true;
        };
    }

    /** For people: {@code id prefix "bot", address 10.0.0.0/8}; {@code everyone} when empty. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (idPrefix != null) {
            sb.append("id prefix \"").append(idPrefix).append('"');
        }
        if (address != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append("address ").append(address);
        }
        if (transport != null) {
            sb.append(sb.isEmpty() ? "" : ", ").append("transport ").append(transport);
        }
        if (minMessagesPerMinute != null) {
            sb.append(sb.isEmpty() ? "" : ", ")
                    .append("at least ")
                    .append(minMessagesPerMinute)
                    .append(" msg/min");
        }
        return sb.isEmpty() ? "everyone" : sb.toString();
    }

    private boolean idMatches(String id) {
        return idPrefix == null || id.toLowerCase(Locale.ROOT).startsWith(idPrefix.toLowerCase(Locale.ROOT));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
