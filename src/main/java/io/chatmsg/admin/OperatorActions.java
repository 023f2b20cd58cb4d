package io.chatmsg.admin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.chatmsg.account.Bans;
import io.chatmsg.account.Passwords;
import io.chatmsg.account.UserDirectory;
import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.Kick;
import io.chatmsg.chat.MessageRouter;
import io.chatmsg.config.LimitsProperties;
import io.chatmsg.protocol.ControlCharacters;
import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import org.springframework.stereotype.Service;

/**
 * Kick and broadcast, shared by the REST API and the pages: input checked with
 * a reason a person can act on, every action audited.
 */
@Service
class OperatorActions {

    static final int MAX_REASON = 200;
    private static final String BROADCAST_PREFIX = "MSG SERVER ALL ";

    private final ChatService chat;
    private final AuditLog audit;
    private final SessionRecorder sessions;
    private final UserDirectory users;
    private final Passwords passwords;
    private final Bans bans;
    private final Clock clock;
    private final int maxLineLength;

    OperatorActions(
            ChatService chat,
            AuditLog audit,
            SessionRecorder sessions,
            UserDirectory users,
            Passwords passwords,
            Bans bans,
            Clock clock,
            LimitsProperties limits) {
        this.passwords = passwords;
        this.bans = bans;
        this.chat = chat;
        this.audit = audit;
        this.sessions = sessions;
        this.users = users;
        this.clock = clock;
        this.maxLineLength = (int) limits.maxLineLength().toBytes();
    }

    /** False when the session is not live (any more). */
    boolean kick(long sessionId, String reason, String operator, String remote) {
        String r = checkText(reason, "reason", MAX_REASON);
        boolean kicked = chat.kick(sessionId, Kick.byOperator(operator, r));
        if (kicked) {
            audit.record(operator, AuditLog.KICK, "session " + sessionId + ": " + r, remote);
        }
        return kicked;
    }

    Views.BroadcastResult broadcast(String text, String operator, String remote) {
        return broadcast(text, new ClientSelector(null, null, null, null), false, operator, remote);
    }

    /**
     * To the live clients {@code to} selects; with {@code queueOffline}, also kept for
     * known offline ids it selects (only an id prefix can select an offline id).
     */
    Views.BroadcastResult broadcast(
            String text, ClientSelector to, boolean queueOffline, String operator, String remote) {
        String t = checkBroadcastText(text);
        Instant now = clock.instant();
        List<String> offline = queueOffline
                ? users.displayIds().stream()
                        .filter(id -> !chat.isOnline(id) && to.selectsOfflineId(id))
                        .toList()
                : List.of();
        MessageRouter.Broadcast b;
        try {
            b = chat.broadcastFromServer(t, to.at(now), offline).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the message could not be stored; try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        audit.record(
                operator,
                AuditLog.BROADCAST,
                "message " + b.messageId() + " to " + b.recipients()
                        + " clients" + (b.queued() > 0 ? " and queued for " + b.queued() + " offline" : "")
                        + (to.isEmpty() ? "" : " (" + to + ")") + ": " + t,
                remote);
        return new Views.BroadcastResult(b.messageId(), b.recipients(), b.queued());
    }

    /** Present, one line, and short enough for {@code MSG SERVER ALL <text>} to fit in a protocol line. */
    String checkBroadcastText(String text) {
        int max = maxLineLength - BROADCAST_PREFIX.length() - Lines.CRLF.length();
        String t = checkText(text, "text", Integer.MAX_VALUE);
        if (t.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new IllegalArgumentException("text is too long: at most " + max + " bytes (UTF-8)");
        }
        return t;
    }

    void audit(String operator, String action, String details, String remote) {
        audit.record(operator, action, details, remote);
    }

    /** Operator: a new password for a known id; false when the id is unknown. */
    boolean resetPassword(String id, String password, String operator, String remote) {
        if (password == null) {
            throw new IllegalArgumentException("password is required");
        }
        String problem = Passwords.problem(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        boolean done = join(users.setPassword(id, passwords.hashNow(password)));
        if (done) {
            audit.record(operator, AuditLog.ACCOUNT, "password of " + id + " reset", remote);
        }
        return done;
    }

    /** Operator: forgets an id and closes its live session; false when the id is unknown. */
    boolean deleteUser(String id, String operator, String remote) {
        boolean done = join(users.delete(id));
        if (done) {
            for (LiveSession s : sessions.everywhere()) {
                if (id.equalsIgnoreCase(s.clientId())) {
                    chat.kick(s.id(), Kick.byOperator(operator, "account deleted"));
                }
            }
            audit.record(operator, AuditLog.ACCOUNT, "user " + id + " deleted", remote);
        }
        return done;
    }

    private static boolean join(java.util.concurrent.CompletableFuture<Boolean> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the change could not be stored; try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Bans an id (until {@code until}, or for good) and closes its live session. */
    Bans.Ban banId(String id, String reason, Instant until, String operator, String remote) {
        String r = checkText(reason, "reason", MAX_REASON);
        checkFuture(until);
        Bans.Ban ban = bans.banId(id, r, until, operator);
        for (LiveSession s : sessions.everywhere()) {
            if (id.equalsIgnoreCase(s.clientId())) {
                chat.kick(s.id(), Kick.banned(r));
            }
        }
        audit.record(operator, AuditLog.BAN, "id " + id + (until == null ? "" : " until " + until) + ": " + r, remote);
        return ban;
    }

    /** Bans an address or CIDR range and closes the live sessions from it. */
    Bans.Ban banAddress(String address, String reason, Instant until, String operator, String remote) {
        String r = checkText(reason, "reason", MAX_REASON);
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is required");
        }
        checkFuture(until);
        Bans.Ban ban = bans.banAddress(address.trim(), r, until, operator);
        Predicate<LiveSession> from = new ClientSelector(null, address.trim(), null, null).at(clock.instant());
        for (LiveSession s : sessions.everywhere()) {
            if (from.test(s)) {
                chat.kick(s.id(), Kick.banned(r));
            }
        }
        audit.record(
                operator,
                AuditLog.BAN,
                "address " + address + (until == null ? "" : " until " + until) + ": " + r,
                remote);
        return ban;
    }

    boolean unban(String kind, String value, String operator, String remote) {
        boolean lifted = bans.lift(kind, value);
        if (lifted) {
            audit.record(operator, AuditLog.BAN, "lifted the ban of " + kind + " " + value, remote);
        }
        return lifted;
    }

    List<Bans.Ban> bans() {
        return bans.all();
    }

    private void checkFuture(Instant until) {
        if (until != null && !until.isAfter(clock.instant())) {
            throw new IllegalArgumentException("until must be in the future");
        }
    }

    /** The live sessions a bulk action would touch, in session order. */
    List<LiveSession> select(ClientSelector selector) {
        Instant now = clock.instant();
        return sessions.everywhere().stream()
                .filter(selector.at(now))
                .sorted(Comparator.comparingLong(LiveSession::id))
                .toList();
    }

    /** Kicks every live session the selector picks, with one reason; returns how many. */
    int kickAll(ClientSelector selector, String reason, String operator, String remote) {
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("choose at least one criterion: a bulk kick of everyone is refused");
        }
        String r = checkText(reason, "reason", MAX_REASON);
        int n = 0;
        for (LiveSession s : select(selector)) {
            if (chat.kick(s.id(), Kick.byOperator(operator, r))) {
                n++;
            }
        }
        audit.record(operator, AuditLog.KICK, n + " sessions (" + selector + "): " + r, remote);
        return n;
    }

    /** Present, not only spaces, one line of printable text, at most {@code max} characters. */
    private static String checkText(String text, String field, int max) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (ControlCharacters.problem(text) != null) {
            throw new IllegalArgumentException(field + " must be one line without control characters");
        }
        if (text.length() > max) {
            throw new IllegalArgumentException(field + " is too long: at most " + max + " characters");
        }
        return text;
    }
}
