package io.chatmsg.chat;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.chatmsg.account.UserDirectory;
import io.chatmsg.history.MessageLog;
import io.chatmsg.history.StoredMessage;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.protocol.Command;
import io.chatmsg.protocol.Lines;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.chatmsg.session.SessionRecorder;
import org.springframework.stereotype.Service;

import static io.chatmsg.chat.Replies.BUSY;
import static io.chatmsg.chat.Replies.NOT_LOGGED_IN;
import static io.chatmsg.chat.Replies.done;
import static io.chatmsg.protocol.ReplyCodes.BAD_REQUEST;
import static io.chatmsg.protocol.ReplyCodes.NOT_FOUND;
import static io.chatmsg.protocol.ReplyCodes.OK;

/**
 * What the gateway and the dashboard call: one command in, one {@link Response}
 * out. Dispatches to {@link LoginService} (LOGIN, REGISTER, LOGOFF),
 * {@link MessageRouter} (MSG), {@link Presence} (WHO) and {@link OfflineDelivery};
 * answers the rest itself. Called on each connection's own event loop; never
 * blocks: database work returns futures that complete when the group-commit
 * writer has made it durable.
 */
@Service
public class ChatService {

    private final Presence presence;
    private final MessageRouter router;
    private final LoginService logins;
    private final OfflineDelivery offline;
    private final UserDirectory users;
    private final MessageLog log;
    private final SessionRecorder sessions;
    private final ClusterBus cluster;

    ChatService(
            Presence presence,
            MessageRouter router,
            LoginService logins,
            OfflineDelivery offline,
            UserDirectory users,
            MessageLog log,
            SessionRecorder sessions,
            Optional<ClusterBus> cluster) {
        this.cluster = cluster.orElse(null);
        this.presence = presence;
        this.router = router;
        this.logins = logins;
        this.offline = offline;
        this.users = users;
        this.log = log;
        this.sessions = sessions;
    }

    public ChatClient connect(Connection connection) {
        return new ChatClient(connection);
    }

    /** Executes one command. PONG and blank lines are the gateway's and never reach here. */
    public CompletableFuture<Response> handle(ChatClient client, Command command) {
        if (command instanceof Command.Msg c) {
            return message(client, c.target(), c.text());
        } else if (command instanceof Command.MsgAll c) {
            return client.loggedIn() ? router.toAll(client, c.text()) : NOT_LOGGED_IN;
        } else if (command instanceof Command.Login c) {
            return logins.login(client, c.id(), c.password());
        } else if (command instanceof Command.Register c) {
            return logins.register(client, c.id(), c.password());
        } else if (command instanceof Command.Logoff c) {
            return logins.logoff(client, c.id());
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
            logins.leave(client);
        }
    }

    /** The database writer is behind: connections should stop feeding it until it catches up. */
    public boolean backlogged() {
        return log.backlogged();
    }

    public int onlineCount() {
        return presence.onlineCount();
    }

    public boolean isOnline(String id) {
        return presence.isOnline(id);
    }

    /** The reason a new connection from {@code address} is refused, or null when it is welcome. */
    public String bannedAddress(InetAddress address) {
        return logins.bannedAddress(address);
    }

    /**
     * For a connection that defers offline delivery (UDP): what waited for the client, once,
     * as events; see {@link OfflineDelivery}.
     */
    public CompletableFuture<Response> takeOffline(ChatClient client) {
        return offline.takeOffline(client);
    }

    /** The operator's {@code MSG SERVER ALL}: see {@link MessageRouter#broadcastFromServer}. */
    public CompletableFuture<MessageRouter.Broadcast> broadcastFromServer(
            String text, Predicate<LiveSession> who, Collection<String> offlineIds) {
        return router.broadcastFromServer(text, who, offlineIds);
    }

    /**
     * Sends the kick's last line to a live session and closes it; false when there
     * is no such live session (it may just have left). In a cluster, a session of
     * another node is kicked there (through the control stream, within a second).
     */
    public boolean kick(long sessionId, Kick kick) {
        LiveSession s = sessions.live(sessionId);
        SessionControl control = s == null ? null : s.control();
        if (control != null) {
            control.close(kick.lastLine(), kick.endReason());
            return true;
        }
        if (s == null
                && cluster != null
                && (sessions.anywhere(sessionId) != null || sessions.openElsewhere(sessionId))) {
            // Another node's: every node reads the control stream, the one holding it acts.
            cluster.control(
                    Map.of("t", "k", "s", Long.toString(sessionId), "l", kick.lastLine(), "e", kick.endReason()));
            return true;
        }
        return false;
    }

    private CompletableFuture<Response> message(ChatClient client, String target, String text) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        String recipient = users.displayId(target);
        if (recipient != null) {
            return router.direct(client, recipient, text);
        }
        if (cluster == null) {
            return done(Response.reply(NOT_FOUND, "no such client " + target));
        }
        // An id that logged in for the first time on another node a moment ago: this node
        // learns it from the control stream, but Redis has it already.
        String key = ClientIds.fold(target);
        return cluster.holder(key)
                .exceptionally(redisAway -> null)
                .thenComposeAsync(
                        current -> {
                            Holder h = Holder.parse(current);
                            if (h != null) {
                                users.learn(key, h.display());
                                return router.direct(client, h.display(), text);
                            }
                            // Offline, and maybe recorded by a node while this one was not listening.
                            return users.lookup(key)
                                    .exceptionally(failed -> null)
                                    .thenComposeAsync(
                                            display -> display == null
                                                    ? done(Response.reply(NOT_FOUND, "no such client " + target))
                                                    : router.direct(client, display, text),
                                            client.connection.executor());
                        },
                        client.connection.executor());
    }

    private CompletableFuture<Response> who(ChatClient client) {
        if (!client.loggedIn()) {
            return NOT_LOGGED_IN;
        }
        if (cluster == null) {
            return done(whoReply(presence.displayIds()));
        }
        // Redis, not this node's mirror: a LOGIN answered on another node a moment ago is in it.
        return cluster.holders()
                .handleAsync(
                        (all, redisAway) ->
                                whoReply(redisAway != null ? presence.displayIds() : Holder.displayIds(all)),
                        client.connection.executor());
    }

    private static Response whoReply(List<String> ids) {
        Lines.MultiLine reply = new Lines.MultiLine(OK);
        for (String id : ids) {
            reply.add(id);
        }
        int n = reply.continuationLines();
        return new Response(reply.end("WHO " + n), n + 1, 0, false);
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
}
