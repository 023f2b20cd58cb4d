package io.chatmsg.chat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.chatmsg.account.Bans;
import io.chatmsg.account.LoginThrottle;
import io.chatmsg.account.Passwords;
import io.chatmsg.account.RegisterThrottle;
import io.chatmsg.account.UserDirectory;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Lines;
import io.chatmsg.session.SessionRecorder;
import org.springframework.stereotype.Service;

import static io.chatmsg.chat.Replies.BUSY;
import static io.chatmsg.chat.Replies.NOT_LOGGED_IN;
import static io.chatmsg.chat.Replies.done;
import static io.chatmsg.protocol.ReplyCodes.CONFLICT;
import static io.chatmsg.protocol.ReplyCodes.CREATED;
import static io.chatmsg.protocol.ReplyCodes.FORBIDDEN;
import static io.chatmsg.protocol.ReplyCodes.OK;
import static io.chatmsg.protocol.ReplyCodes.TOO_MANY_REQUESTS;
import static io.chatmsg.protocol.ReplyCodes.UNAUTHORIZED;
import static io.chatmsg.protocol.ReplyCodes.UNAVAILABLE;

/**
 * Who may take an id: LOGIN (passwords, the failed-login throttle, bans and
 * flapping, then {@link Presence} and {@link OfflineDelivery}), REGISTER with its
 * allowances, LOGOFF and leaving. On the connection's own thread; a password
 * hash runs on the {@link Passwords} pool and comes back through
 * {@link Connection#executor()} before it touches the client.
 */
@Service
class LoginService {

    private static final CompletableFuture<Response> DIRECTORY_FULL =
            done(Response.reply(UNAVAILABLE, "too many known ids: new ids cannot log in"));

    private final Presence presence;
    private final OfflineDelivery offline;
    private final UserDirectory users;
    private final SessionRecorder sessions;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final RegisterThrottle registers;
    private final Bans bans;
    private final FlapDetector flapping;
    private final Clock clock;
    private final ChatMetrics metrics;

    LoginService(
            Presence presence,
            OfflineDelivery offline,
            UserDirectory users,
            SessionRecorder sessions,
            Passwords passwords,
            LoginThrottle throttle,
            RegisterThrottle registers,
            Bans bans,
            FlapDetector flapping,
            Clock clock,
            ChatMetrics metrics) {
        this.presence = presence;
        this.offline = offline;
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.throttle = throttle;
        this.registers = registers;
        this.bans = bans;
        this.flapping = flapping;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * LOGIN, checks in the order docs/protocol.md gives: 400 (the parser), 403 already logged in,
     * 429 throttled, 401 password missing or wrong, (403 banned: with bans), 409.
     */
    CompletableFuture<Response> login(ChatClient client, String id, String password) {
        if (client.loggedIn()) {
            return done(Response.reply(FORBIDDEN, "already logged in as " + client.displayId));
        }
        String hash = users.passwordHash(id);
        if (hash == null || id.equalsIgnoreCase(client.connection.certificateId())) {
            // No password set, or the client proved the id with a certificate from the client CA.
            return enter(client, id);
        }
        if (password == null) {
            return done(Response.reply(UNAUTHORIZED, "password required: LOGIN " + id + " <password>"));
        }
        String address = client.connection.session().remoteIp();
        Duration wait = throttle.blocked(address, id);
        if (wait != null) {
            return done(Response.reply(
                    TOO_MANY_REQUESTS, "too many failed logins; try again in " + Math.max(1, wait.toSeconds()) + " s"));
        }
        return passwords
                .matchesIfAllowed(address, () -> throttle.blocked(address, id) == null, password, hash)
                .handleAsync(
                        (ok, failure) -> {
                            if (failure != null) {
                                return done(tooManyHashes(failure));
                            }
                            if (ok == null) {
                                // Throttled while this guess waited behind others: not checked.
                                return done(
                                        Response.reply(TOO_MANY_REQUESTS, "too many failed logins; try again later"));
                            }
                            if (!ok) {
                                throttle.failed(address, id);
                                metrics.refused("wrong password");
                                return done(Response.reply(UNAUTHORIZED, "wrong password"));
                            }
                            throttle.succeeded(address, id);
                            return enter(client, id);
                        },
                        client.connection.executor())
                .thenCompose(f -> f);
    }

    /**
     * REGISTER: 409 already registered, 403 online elsewhere, 429 too many REGISTERs from this
     * connection or address, else 201 once the hash is stored.
     */
    CompletableFuture<Response> register(ChatClient client, String id, String password) {
        if (users.isRegistered(id)) {
            return done(Response.reply(CONFLICT, "id " + users.displayId(id) + " is already registered"));
        }
        ChatClient holder = presence.holder(ClientIds.fold(id));
        if (holder != null && holder != client) {
            return done(Response.reply(FORBIDDEN, "id " + holder.displayId + " is online on another connection"));
        }
        if (client.registrations == null) {
            client.registrations = registers.forConnection();
        }
        String address = client.connection.session().remoteIp();
        String refused = registers.refused(address, client.registrations);
        if (refused != null) {
            metrics.refused("register throttled");
            return done(Response.reply(TOO_MANY_REQUESTS, refused));
        }
        return passwords
                .hashForRegister(address, password)
                .thenCompose(hash -> users.register(id, hash, clock.instant()))
                .handle((display, failure) -> {
                    if (failure == null) {
                        return Response.reply(CREATED, "REGISTER " + display);
                    }
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof UserDirectory.AlreadyRegistered) {
                        return Response.reply(CONFLICT, "id " + cause.getMessage() + " is already registered");
                    }
                    return tooManyHashes(cause);
                });
    }

    /** 429 when the client's address has its share of password hashes pending, else 503. */
    private static Response tooManyHashes(Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        return cause instanceof Passwords.TooManyPending
                ? Response.reply(TOO_MANY_REQUESTS, cause.getMessage() + "; try again")
                : BUSY.join();
    }

    /** The part of LOGIN after the password: bans, presence, offline messages, JOIN. On the connection's thread. */
    private CompletableFuture<Response> enter(ChatClient client, String id) {
        if (client.loggedIn()) {
            return done(Response.reply(FORBIDDEN, "already logged in as " + client.displayId));
        }
        if (client.entering) {
            return done(Response.reply(FORBIDDEN, "a LOGIN of this connection is still in progress"));
        }
        Bans.Ban ban = bans.ofId(id);
        if (ban == null && flapping.loggedIn(id, addressOf(client))) {
            ban = bans.ofId(id);
        }
        if (ban != null) {
            metrics.refused("banned");
            return done(Response.reply(
                    FORBIDDEN,
                    "banned: " + ban.reason()
                            + (ban.expiresAt() == null ? "" : " (until " + Lines.timestamp(ban.expiresAt()) + ")")));
        }
        String key = ClientIds.fold(id);
        String shown = users.displayId(id);
        // UDP defers it: see OfflineDelivery.takeOffline.
        boolean defer = client.connection.defersOfflineDelivery();
        OfflineDelivery.Claim[] claimed = new OfflineDelivery.Claim[1];
        // Inside presence's lock for this id: a sender either sees us online or has
        // already queued its message before our offline fetch is enqueued.
        CompletableFuture<ChatClient> entering = presence.enter(
                key,
                shown == null ? id : shown,
                client,
                defer ? () -> {} : () -> claimed[0] = offline.claim(client, key));
        if (entering.isDone()) {
            return entered(client, id, key, entering.join(), claimed);
        }
        // A cluster asks the other nodes first: meanwhile this connection's other LOGINs wait their turn.
        client.entering = true;
        return entering.thenCompose(holder -> {
            client.entering = false;
            return entered(client, id, key, holder, claimed);
        });
    }

    /** The LOGIN once presence has decided ({@code holder}): 409, or the client has the id now. */
    private CompletableFuture<Response> entered(
            ChatClient client, String id, String key, ChatClient holder, OfflineDelivery.Claim[] claimed) {
        if (holder != client) {
            return done(Response.reply(CONFLICT, "id " + holder.displayId + " is logged in on another connection"));
        }
        Instant now = clock.instant();
        String display = users.recordLogin(id, now);
        if (display == null) {
            presence.abandon(key, client);
            return users.isFull() ? DIRECTORY_FULL : BUSY;
        }
        client.key = key;
        client.displayId = display;
        sessions.loggedIn(client.connection.session(), display);
        metrics.login();
        presence.joined(client);
        return OfflineDelivery.deliver(
                new Response(Lines.reply(OK, "LOGIN " + display), 1, 0, false), display, claimed[0]);
    }

    /** LOGOFF: 401 not logged in, 403 another id, else the client leaves and stays connected. */
    CompletableFuture<Response> logoff(ChatClient client, String id) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        if (!client.key.equals(ClientIds.fold(id))) {
            return done(Response.reply(FORBIDDEN, id + " is not this connection's id"));
        }
        String display = client.displayId;
        leave(client);
        return done(Response.reply(OK, "LOGOFF " + display));
    }

    /** A logged-in client gives up its id (LOGOFF, or its connection is gone): LEAVE, last seen. */
    void leave(ChatClient client) {
        String key = client.key;
        presence.left(client);
        users.recordSeen(key, clock.instant());
        client.key = null;
        client.displayId = null;
    }

    /** The reason a new connection from {@code address} is refused, or null when it is welcome. */
    String bannedAddress(InetAddress address) {
        // Flapping is counted when short connections close (FlapDetector.closed), and bans then.
        Bans.Ban ban = bans.ofAddress(address);
        return ban == null ? null : ban.reason();
    }

    private static InetAddress addressOf(ChatClient client) {
        String ip = client.connection.session().remoteIp();
        if (!ip.matches("[0-9A-Fa-f.:%]+")) {
            return null; // never a name lookup on an event loop
        }
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            return null; // a literal address always parses; "unknown" does not
        }
    }
}
