package io.chatmsg.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import io.chatmsg.account.Bans;
import io.chatmsg.account.UserDirectory;
import io.chatmsg.chat.Kick;
import io.chatmsg.protocol.ClientIds;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionControl;
import io.chatmsg.session.SessionRecorder;

/**
 * The control stream: an operator's action on any node, done where it must be.
 * A kick closes the session on the node that holds it; a change of the bans or
 * of an account makes every other node read them again from the database (which
 * holds them), so every node refuses a banned LOGIN and asks the new password.
 * Entries: {@code t=k} (kick: {@code s} session, {@code l} last line, {@code e} end
 * reason), {@code t=b} (bans changed), {@code t=u} (account {@code k} changed; with {@code d},
 * a new id seen for the first time, its display id).
 */
final class ClusterControl {

    private final RedisBus bus;
    private final SessionRecorder sessions;
    private final Bans bans;
    private final UserDirectory users;

    ClusterControl(RedisBus bus, SessionRecorder sessions, Bans bans, UserDirectory users) {
        this.bus = bus;
        this.sessions = sessions;
        this.bans = bans;
        this.users = users;
        bans.onChange(() -> bus.control(Map.of("t", "b", "n", bus.nodeId())));
        users.onChange((key, display) -> bus.control(
                display == null
                        ? Map.of("t", "u", "n", bus.nodeId(), "k", key)
                        : Map.of("t", "u", "n", bus.nodeId(), "k", key, "d", display)));
    }

    /**
     * The sessions here that a ban now covers are closed here too: the banning node kicks
     * the ones it knows of, but its copy of this node's sessions may be a heartbeat old.
     */
    private void closeBanned() {
        for (LiveSession s : sessions.live()) {
            Bans.Ban ban = s.clientId() == null ? null : bans.ofId(s.clientId());
            InetAddress address = literal(s.remoteIp());
            if (ban == null && address != null) {
                ban = bans.ofAddress(address);
            }
            SessionControl c = s.control();
            if (ban != null && c != null) {
                Kick kick = Kick.banned(ban.reason());
                c.close(kick.lastLine(), kick.endReason());
            }
        }
    }

    /** An IP literal as an address (never a name lookup); null for anything else. */
    private static InetAddress literal(String ip) {
        if (ip == null || !ip.matches("[0-9A-Fa-f.:%]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** As {@link #closeBanned}: a session here logged in as an id just deleted elsewhere. */
    private void closeDeleted(String key) {
        if (users.displayId(key) != null) {
            return;
        }
        for (LiveSession s : sessions.live()) {
            SessionControl c = s.control();
            if (c != null
                    && s.clientId() != null
                    && ClientIds.fold(s.clientId()).equals(key)) {
                Kick kick = Kick.byOperator("an operator", "account deleted");
                c.close(kick.lastLine(), kick.endReason());
            }
        }
    }

    /** One entry (the stream reader's thread; database reads are fine here). */
    void handle(Map<String, String> e) {
        String type = e.get("t");
        if (type == null) {
            return;
        }
        switch (type) {
            case "k" -> {
                LiveSession s = sessions.live(Long.parseLong(e.get("s")));
                SessionControl c = s == null ? null : s.control();
                if (c != null) {
                    c.close(e.get("l"), e.get("e"));
                }
            }
            case "b" -> {
                if (!bus.nodeId().equals(e.get("n"))) {
                    bans.reload();
                    closeBanned();
                }
            }
            case "u" -> {
                if (!bus.nodeId().equals(e.get("n"))) {
                    if (e.get("d") != null) {
                        users.learn(e.get("k"), e.get("d"));
                    } else {
                        users.reload(e.get("k"));
                        closeDeleted(e.get("k"));
                    }
                }
            }
            default -> {
                // A kind a newer node writes: not for this one.
            }
        }
    }
}
