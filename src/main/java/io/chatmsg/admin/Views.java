package io.chatmsg.admin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.chatmsg.account.User;
import io.chatmsg.history.Message;
import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.RecentLines;
import io.chatmsg.session.SessionRecord;
import org.springframework.data.domain.Page;

/** What the REST API (and the pages) show: plain records, times as ISO-8601 UTC strings. */
final class Views {

    private Views() {}

    static String time(Instant t) {
        return t == null ? null : Lines.timestamp(t);
    }

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    /** A byte count as the pages' script shows one: 1024-based, one decimal above bytes ("57.2 MB"). */
    static String bytes(long n) {
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    record Client(
            long sessionId,
            String clientId,
            String remoteAddress,
            String transport,
            String connectedAt,
            long bytesIn,
            long bytesOut,
            long linesIn,
            long linesOut,
            long messagesIn,
            long messagesOut,
            Long rttMillis,
            String latency,
            String node) {

        static Client of(LiveSession s) {
            return new Client(
                    s.id(),
                    s.clientId(),
                    s.remoteAddress(),
                    s.transport(),
                    time(s.connectedAt()),
                    s.bytesIn(),
                    s.bytesOut(),
                    s.linesIn(),
                    s.linesOut(),
                    s.messagesIn(),
                    s.messagesOut(),
                    s.rttMillis(),
                    "udp".equals(s.transport()) ? null : s.latency().label(),
                    s.node());
        }
    }

    record Line(String at, String direction, String text) {
        static Line of(RecentLines.Entry e) {
            return new Line(time(e.at()), e.in() ? "in" : "out", e.text());
        }
    }

    /** One live session: the same fields as in the list, at the top level (as the README documents), and its last lines. */
    record ClientDetail(@JsonUnwrapped Client client, List<Line> recentLines, List<Rtt> rttHistory) {
        static ClientDetail of(LiveSession s) {
            return new ClientDetail(
                    Client.of(s),
                    s.recentLines().snapshot().stream().map(Line::of).toList(),
                    s.rttHistory().stream()
                            .map(r -> new Rtt(time(Instant.ofEpochMilli(r.atEpochMillis())), r.millis()))
                            .toList());
        }
    }

    /** One measured round trip. */
    record Rtt(String at, double millis) {}

    record Session(
            long sessionId,
            String clientId,
            String remoteAddress,
            String transport,
            String connectedAt,
            String disconnectedAt,
            String endReason,
            long bytesIn,
            long bytesOut,
            long linesIn,
            long linesOut,
            long messagesIn,
            long messagesOut,
            Long rttMillis) {

        /** A recorded session; a live one shows its live counters. */
        static Session of(SessionRecord r, LiveSession live) {
            if (live != null) {
                return new Session(
                        r.getId(),
                        live.clientId(),
                        r.getRemoteAddress(),
                        r.getTransport(),
                        time(r.getConnectedAt()),
                        null,
                        null,
                        live.bytesIn(),
                        live.bytesOut(),
                        live.linesIn(),
                        live.linesOut(),
                        live.messagesIn(),
                        live.messagesOut(),
                        live.rttMillis());
            }
            return new Session(
                    r.getId(),
                    r.getClientId(),
                    r.getRemoteAddress(),
                    r.getTransport(),
                    time(r.getConnectedAt()),
                    time(r.getDisconnectedAt()),
                    r.getEndReason(),
                    r.getBytesIn(),
                    r.getBytesOut(),
                    r.getLinesIn(),
                    r.getLinesOut(),
                    r.getMessagesIn(),
                    r.getMessagesOut(),
                    null);
        }
    }

    record LoggedMessage(long id, String sentAt, String from, String to, String text, String status) {
        static LoggedMessage of(Message m) {
            return new LoggedMessage(
                    m.getId(), time(m.getSentAt()), m.getSender(), m.getRecipient(), m.getText(), m.getStatus());
        }
    }

    record KnownUser(String id, String firstSeen, String lastSeen, boolean online, boolean registered) {
        static KnownUser of(User u, boolean online) {
            return new KnownUser(
                    u.getDisplayId(), time(u.getFirstSeen()), time(u.getLastSeen()), online, u.isRegistered());
        }
    }

    record BroadcastResult(long messageId, int recipients, int queued) {}

    record Audit(String at, String operator, String action, String details, String remote) {
        static Audit of(AuditEntry e) {
            return new Audit(time(e.getAt()), e.getOperator(), e.getAction(), e.getDetails(), e.getRemote());
        }
    }

    /**
     * Spring Data's page, in the JSON shape the README documents. {@code totalCapped}: the
     * matches were counted only up to {@code totalElements} (a message search, past
     * {@link AdminQueries#MESSAGE_COUNT_LIMIT}); there are more.
     */
    record PageOf<T>(List<T> content, long totalElements, int number, int size, int totalPages, boolean totalCapped) {

        PageOf(List<T> content, long totalElements, int number, int size, int totalPages) {
            this(content, totalElements, number, size, totalPages, false);
        }

        static <E, T> PageOf<T> of(Page<E> page, Function<E, T> view) {
            return new PageOf<>(
                    page.getContent().stream().map(view).toList(),
                    page.getTotalElements(),
                    page.getNumber(),
                    page.getSize(),
                    page.getTotalPages());
        }
    }
}
