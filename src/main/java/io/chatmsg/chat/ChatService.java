package io.chatmsg.chat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import io.chatmsg.account.Bans;
import io.chatmsg.account.LoginThrottle;
import io.chatmsg.account.Passwords;
import io.chatmsg.account.RegisterThrottle;
import io.chatmsg.account.UserDirectory;
import io.chatmsg.config.ChatMetrics;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.files.FileStore;
import io.chatmsg.files.StoredFile;
import io.chatmsg.history.MessageLog;
import io.chatmsg.history.StoredMessage;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.chatmsg.session.SessionRecorder;
import org.springframework.stereotype.Service;

import static io.chatmsg.protocol.ReplyCodes.ACCEPTED;
import static io.chatmsg.protocol.ReplyCodes.BAD_REQUEST;
import static io.chatmsg.protocol.ReplyCodes.CONFLICT;
import static io.chatmsg.protocol.ReplyCodes.CREATED;
import static io.chatmsg.protocol.ReplyCodes.FORBIDDEN;
import static io.chatmsg.protocol.ReplyCodes.NOT_FOUND;
import static io.chatmsg.protocol.ReplyCodes.OK;
import static io.chatmsg.protocol.ReplyCodes.TOO_MANY_REQUESTS;
import static io.chatmsg.protocol.ReplyCodes.UNAUTHORIZED;
import static io.chatmsg.protocol.ReplyCodes.UNAVAILABLE;

/**
 * Routing, presence and offline delivery. Called on each connection's own
 * event loop; never blocks: database work returns futures that complete when
 * the group-commit writer has made it durable.
 */
@Service
public class ChatService {

    private static final CompletableFuture<Response> NOT_LOGGED_IN =
            done(Response.reply(UNAUTHORIZED, "not logged in"));
    private static final CompletableFuture<Response> BUSY = done(Response.reply(UNAVAILABLE, "server busy, try again"));
    private static final CompletableFuture<Response> DIRECTORY_FULL =
            done(Response.reply(UNAVAILABLE, "too many known ids: new ids cannot log in"));

    private final ConcurrentHashMap<String, ChatClient> online = new ConcurrentHashMap<>();
    private final SessionRecorder sessions;
    private final UserDirectory users;
    private final MessageLog log;
    private final Clock clock;
    private final boolean presence;
    private final ChatMetrics metrics;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final RegisterThrottle registers;
    private final Bans bans;
    private final FlapDetector flapping;
    private final FileStore files;
    private final PresenceEvents presenceEvents = new PresenceEvents();

    ChatService(
            SessionRecorder sessions,
            UserDirectory users,
            MessageLog log,
            Clock clock,
            ChatProperties properties,
            ChatMetrics metrics,
            Passwords passwords,
            LoginThrottle throttle,
            RegisterThrottle registers,
            Bans bans,
            FlapDetector flapping,
            FileStore files) {
        this.files = files;
        this.bans = bans;
        this.flapping = flapping;
        this.metrics = metrics;
        this.passwords = passwords;
        this.throttle = throttle;
        this.registers = registers;
        this.sessions = sessions;
        this.users = users;
        this.log = log;
        this.clock = clock;
        this.presence = properties.presence().enabled();
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "chat.presence.skipped", presenceEvents, PresenceEvents::skipped)
                .description("JOIN/LEAVE lines not sent to clients that were not reading")
                .register(metrics.registry());
    }

    public ChatClient connect(Connection connection) {
        return new ChatClient(connection);
    }

    /** Executes one command. PONG and blank lines are the gateway's and never reach here. */
    public CompletableFuture<Response> handle(ChatClient client, Command command) {
        if (command instanceof Command.Msg c) {
            return message(client, c.target(), c.text());
        } else if (command instanceof Command.MsgAll c) {
            return broadcast(client, c.text());
        } else if (command instanceof Command.Login c) {
            return login(client, c.id(), c.password());
        } else if (command instanceof Command.Register c) {
            return register(client, c.id(), c.password());
        } else if (command instanceof Command.Logoff c) {
            return logoff(client, c.id());
        } else if (command instanceof Command.Who) {
            return who(client);
        } else if (command instanceof Command.History c) {
            return history(client, c);
        } else if (command instanceof Command.Ping c) {
            return done(Response.reply(OK, c.token().isEmpty() ? "PONG" : "PONG " + c.token()));
        } else if (command instanceof Command.Help) {
            return done(Help.RESPONSE);
        } else if (command instanceof Command.Quit) {
            return done(new Response(Lines.reply(OK, "BYE"), 1, 0, true));
        } else if (command instanceof Command.Verify) {
            // A TCP connection has proved its address with the handshake: nothing to verify.
            return done(Response.reply(BAD_REQUEST, "VERIFY is only used over UDP"));
        }
        throw new IllegalArgumentException("not a chat command: " + command);
    }

    /** The connection is gone: the client, if logged in, leaves. */
    public void disconnected(ChatClient client) {
        if (client.loggedIn()) {
            leave(client);
        }
    }

    /** The database writer is behind: connections should stop feeding it until it catches up. */
    public boolean backlogged() {
        return log.backlogged();
    }

    public int onlineCount() {
        return online.size();
    }

    /** The id as first registered, for any client that ever logged in or registered; else null. */
    public String knownId(String id) {
        return users.displayId(id);
    }

    /**
     * A file is stored: its recipient gets the FILE event now if online, else at its
     * next LOGIN (decided inside the presence map's lock, like a message); a file
     * to ALL goes to every logged-in client but the sender. Returns how many got it now.
     */
    public int fileSent(ChatClient sender, StoredFile f) {
        OutboundLine line =
                OutboundLine.event(Lines.file(f.getFromId(), f.getToId(), f.getId(), f.getSize(), f.getName()));
        if (f.isBroadcast()) {
            int n = tellOthers(sender, line);
            presenceEvents.sent(sender);
            return n;
        }
        int[] now = {0};
        online.compute(ClientIds.fold(f.getToId()), (k, to) -> {
            if (to == null) {
                files.markPending(k);
            } else {
                to.connection.send(line);
                files.notified(f.getId());
                now[0] = 1;
            }
            return to;
        });
        presenceEvents.sent(sender);
        return now[0];
    }

    public boolean isOnline(String id) {
        return online.containsKey(ClientIds.fold(id));
    }

    // Operator actions ------------------------------------------------------------

    /**
     * Sends {@code KICKED <reason>} to a live session and closes it; false when there
     * is no such live session (it may just have left).
     */
    public boolean kick(long sessionId, String operator, String reason) {
        LiveSession s = sessions.live(sessionId);
        SessionControl control = s == null ? null : s.control();
        if (control == null) {
            return false;
        }
        control.close(Lines.kicked(reason), "kicked by " + operator + ": " + reason);
        return true;
    }

    /** The reason a new connection from {@code address} is refused, or null when it is welcome. */
    public String bannedAddress(InetAddress address) {
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

    /** Closes a live session because its id or address was just banned. */
    public boolean closeBanned(long sessionId, String reason) {
        LiveSession s = sessions.live(sessionId);
        SessionControl control = s == null ? null : s.control();
        if (control == null) {
            return false;
        }
        control.close(Lines.kicked("banned: " + reason), "banned");
        return true;
    }

    /** The result of an operator broadcast: the logged message, how many got it now, how many will at LOGIN. */
    public record Broadcast(long messageId, int recipients, int queued) {}

    /**
     * {@code MSG SERVER ALL <text>} to every logged-in client whose session {@code who}
     * accepts, logged as a message from SERVER; copies are queued for each of
     * {@code offlineIds} that is still offline. Completes once everything is committed.
     */
    public CompletableFuture<Broadcast> broadcastFromServer(
            String text, Predicate<LiveSession> who, Collection<String> offlineIds) {
        long id = log.nextId();
        Instant now = clock.instant();
        CompletableFuture<Void> stored = log.appendBroadcast(id, now, ClientIds.SERVER, text);
        if (stored.isCompletedExceptionally()) {
            return stored.thenApply(v -> null);
        }
        OutboundLine line = OutboundLine.message(ClientIds.SERVER, ClientIds.ALL, text);
        int n = 0;
        for (ChatClient c : online.values()) {
            if (who.test(c.connection.session())) {
                c.connection.send(line);
                n++;
            }
        }
        List<CompletableFuture<Void>> copies = new ArrayList<>();
        for (String offline : offlineIds) {
            online.compute(ClientIds.fold(offline), (k, c) -> {
                if (c == null) {
                    copies.add(log.appendQueuedBroadcast(log.nextId(), now, offline, text));
                }
                return c;
            });
        }
        copies.add(stored);
        Broadcast result = new Broadcast(id, n, copies.size() - 1);
        return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).thenApply(v -> result);
    }

    /**
     * LOGIN, checks in the order docs/protocol.md gives: 400 (the parser), 403 already logged in,
     * 429 throttled, 401 password missing or wrong, (403 banned: with bans), 409.
     */
    private CompletableFuture<Response> login(ChatClient client, String id, String password) {
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
    private CompletableFuture<Response> register(ChatClient client, String id, String password) {
        if (users.isRegistered(id)) {
            return done(Response.reply(CONFLICT, "id " + users.displayId(id) + " is already registered"));
        }
        ChatClient holder = online.get(ClientIds.fold(id));
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
                    Throwable cause =
                            failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                    if (cause instanceof UserDirectory.AlreadyRegistered) {
                        return Response.reply(CONFLICT, "id " + cause.getMessage() + " is already registered");
                    }
                    return tooManyHashes(cause);
                });
    }

    /** 429 when the client's address has its share of password hashes pending, else 503. */
    private static Response tooManyHashes(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        return cause instanceof Passwords.TooManyPending
                ? Response.reply(TOO_MANY_REQUESTS, cause.getMessage() + "; try again")
                : BUSY.join();
    }

    /** The part of LOGIN after the password: presence, offline messages, JOIN. On the connection's thread. */
    private CompletableFuture<Response> enter(ChatClient client, String id) {
        if (client.loggedIn()) {
            return done(Response.reply(FORBIDDEN, "already logged in as " + client.displayId));
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
        // UDP defers it: see takeOffline.
        boolean defer = client.connection.defersOfflineDelivery();
        Routed<List<StoredMessage>> offline = new Routed<>();
        Routed<List<StoredFile>> offlineFiles = new Routed<>();
        ChatClient holder = online.compute(key, (k, current) -> {
            if (current != null) {
                return current;
            }
            // Inside the map's lock for this id: a sender either sees us online or has
            // already queued its message before our offline fetch below is enqueued.
            if (!defer) {
                offline.stored = claimOffline(k);
                offlineFiles.stored = claimFiles(k);
            }
            return client;
        });
        if (holder != client) {
            return done(Response.reply(CONFLICT, "id " + holder.displayId + " is logged in on another connection"));
        }
        Instant now = clock.instant();
        String display = users.recordLogin(id, now);
        if (display == null) {
            online.remove(key, client);
            return users.isFull() ? DIRECTORY_FULL : BUSY;
        }
        client.key = key;
        client.displayId = display;
        sessions.loggedIn(client.connection.session(), display);
        metrics.login();
        if (presence) {
            presenceEvents.joined(client);
        }
        return offlineDelivery(
                new Response(Lines.reply(OK, "LOGIN " + display), 1, 0, false),
                display,
                offline.stored,
                offlineFiles.stored);
    }

    /**
     * For a connection that defers offline delivery (UDP, where a LOGIN may come
     * from a forged address): the messages and FILE events that waited for the
     * client, once, as events; called when its address has spoken again after LOGIN.
     */
    public CompletableFuture<Response> takeOffline(ChatClient client) {
        if (!client.loggedIn()) {
            return done(new Response("", 0, 0, false));
        }
        Routed<List<StoredMessage>> offline = new Routed<>();
        Routed<List<StoredFile>> offlineFiles = new Routed<>();
        online.compute(client.key, (k, c) -> {
            offline.stored = claimOffline(k);
            offlineFiles.stored = claimFiles(k);
            return c;
        });
        return offlineDelivery(new Response("", 0, 0, false), client.displayId, offline.stored, offlineFiles.stored);
    }

    private CompletableFuture<List<StoredMessage>> claimOffline(String key) {
        return log.claimQueued(key) ? log.takeQueued(key) : null;
    }

    private CompletableFuture<List<StoredFile>> claimFiles(String key) {
        return files.claimPending(key) ? files.takePending(key) : null;
    }

    /** {@code head}, then the queued messages and FILE events (oldest first) once fetched. */
    private static CompletableFuture<Response> offlineDelivery(
            Response head,
            String display,
            CompletableFuture<List<StoredMessage>> stored,
            CompletableFuture<List<StoredFile>> storedFiles) {
        if (stored == null && storedFiles == null) {
            return done(head);
        }
        CompletableFuture<List<StoredMessage>> messages =
                stored == null ? done(List.of()) : stored.exceptionally(e -> List.of());
        CompletableFuture<List<StoredFile>> waitingFiles =
                storedFiles == null ? done(List.of()) : storedFiles.exceptionally(e -> List.of());
        return messages.thenCombine(waitingFiles, (queued, fileList) -> {
            StringBuilder text = new StringBuilder(head.text());
            for (StoredMessage m : queued) {
                // Operator broadcasts kept for an offline client still say ALL.
                String to = ClientIds.ALL.equals(m.recipient()) ? ClientIds.ALL : display;
                text.append(Lines.message(m.sender(), to, m.text()));
            }
            for (StoredFile f : fileList) {
                text.append(Lines.file(f.getFromId(), display, f.getId(), f.getSize(), f.getName()));
            }
            return new Response(text.toString(), head.lines() + queued.size() + fileList.size(), queued.size(), false);
        });
    }

    private CompletableFuture<Response> logoff(ChatClient client, String id) {
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

    private void leave(ChatClient client) {
        online.remove(client.key, client);
        users.recordSeen(client.key, clock.instant());
        if (presence) {
            presenceEvents.left(client);
        }
        client.key = null;
        client.displayId = null;
    }

    private CompletableFuture<Response> message(ChatClient client, String target, String text) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        String recipient = users.displayId(target);
        if (recipient == null) {
            return done(Response.reply(NOT_FOUND, "no such client " + target));
        }
        long id = log.nextId();
        Instant now = clock.instant();
        String from = client.displayId;
        Routed<Void> routed = new Routed<>();
        online.compute(ClientIds.fold(target), (k, to) -> {
            if (to == null) {
                routed.stored = log.appendQueued(id, now, from, recipient, text);
            } else {
                routed.stored = log.appendDelivered(id, now, from, recipient, text);
                if (!routed.stored.isCompletedExceptionally()) {
                    to.connection.send(OutboundLine.message(from, recipient, text));
                    routed.live = true;
                }
            }
            return to;
        });
        if (routed.stored.isCompletedExceptionally()) {
            return BUSY;
        }
        if (routed.live) {
            presenceEvents.sent(client);
        }
        client.connection.session().addMessagesIn(1);
        metrics.received(false);
        if (!routed.live) {
            metrics.queued();
        }
        Response ack = Response.reply(routed.live ? OK : ACCEPTED, "MSG " + id);
        return routed.stored.handle((v, failure) -> failure == null ? ack : BUSY.join());
    }

    private CompletableFuture<Response> broadcast(ChatClient client, String text) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        long id = log.nextId();
        CompletableFuture<Void> stored = log.appendBroadcast(id, clock.instant(), client.displayId, text);
        if (stored.isCompletedExceptionally()) {
            return BUSY;
        }
        int n = tellOthers(client, OutboundLine.message(client.displayId, ClientIds.ALL, text));
        presenceEvents.sent(client);
        client.connection.session().addMessagesIn(1);
        metrics.received(true);
        Response ack = Response.reply(OK, "MSG " + id + " " + n);
        return stored.handle((v, failure) -> failure == null ? ack : BUSY.join());
    }

    /**
     * Sends one line, encoded once, to every logged-in client but {@code except};
     * returns how many. Recipients are grouped by the thread they live on, and each
     * thread gets one task for all of its recipients (not one task per recipient).
     */
    private int tellOthers(ChatClient except, OutboundLine line) {
        // A handful of event loops: a linear search by identity beats hashing per recipient.
        List<Executor> threads = new ArrayList<>(8);
        List<List<Connection>> recipients = new ArrayList<>(8);
        Executor last = null;
        List<Connection> lastList = null;
        int n = 0;
        for (ChatClient c : online.values()) {
            if (c == except) {
                continue;
            }
            Executor thread = c.connection.executor();
            if (thread != last) {
                int i = indexOf(threads, thread);
                if (i < 0) {
                    threads.add(thread);
                    recipients.add(new ArrayList<>());
                    i = threads.size() - 1;
                }
                last = thread;
                lastList = recipients.get(i);
            }
            lastList.add(c.connection);
            n++;
        }
        if (n > 1) {
            line.share();
        }
        for (int i = 0; i < threads.size(); i++) {
            List<Connection> mine = recipients.get(i);
            // Queued even on the sender's own thread, as Connection.send queues a direct
            // message: each client gets one sender's events in the order they were sent.
            threads.get(i).execute(() -> {
                for (Connection r : mine) {
                    r.sendInLoop(line);
                }
            });
        }
        return n;
    }

    private static int indexOf(List<Executor> threads, Executor thread) {
        for (int i = 0; i < threads.size(); i++) {
            if (threads.get(i) == thread) {
                return i;
            }
        }
        return -1;
    }

    private CompletableFuture<Response> who(ChatClient client) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        List<String> keys = new ArrayList<>(online.keySet());
        keys.sort(null);
        Lines.MultiLine reply = new Lines.MultiLine(OK);
        for (String k : keys) {
            ChatClient c = online.get(k);
            String display = c == null ? null : c.displayId;
            if (display != null) {
                reply.add(display);
            }
        }
        int n = reply.continuationLines();
        return done(new Response(reply.end("WHO " + n), n + 1, 0, false));
    }

    private CompletableFuture<Response> history(ChatClient client, Command.History c) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        String otherKey = null;
        if (!c.broadcasts()) {
            if (users.displayId(c.target()) == null) {
                return done(Response.reply(NOT_FOUND, "no such client " + c.target()));
            }
            otherKey = ClientIds.fold(c.target());
        }
        if (c.limit() == 0) {
            return done(Response.reply(OK, "HISTORY 0"));
        }
        return log.history(client.key, otherKey, c.limit()).handle((messages, failure) -> {
            if (failure != null) {
                return BUSY.join();
            }
            Lines.MultiLine reply = new Lines.MultiLine(OK);
            for (StoredMessage m : messages) {
                reply.add(m.id() + " " + Lines.timestamp(m.sentAt()) + " " + m.sender() + " " + m.recipient() + " "
                        + m.text());
            }
            return new Response(reply.end("HISTORY " + messages.size()), messages.size() + 1, 0, false);
        });
    }

    /** What a routing decision taken inside the presence map's lock left behind. */
    private static final class Routed<T> {
        CompletableFuture<T> stored;
        boolean live;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
