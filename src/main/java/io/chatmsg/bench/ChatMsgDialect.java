package io.chatmsg.bench;

import java.nio.charset.StandardCharsets;

import static io.chatmsg.bench.Bytes.parseLong;
import static io.chatmsg.bench.Bytes.skipWord;
import static io.chatmsg.bench.Bytes.starts;

/**
 * CHAT-MSG/1 (docs/protocol.md): {@code LOGIN id}, {@code MSG id text} or
 * {@code MSG ALL text}; the gateway acknowledges each message with
 * {@code 200 MSG <id>} ({@code 202} when stored for later; for a broadcast
 * {@code 200 MSG <id> <n>}, n recipients) and delivers {@code MSG from to text}.
 */
final class ChatMsgDialect implements Dialect {

    private final boolean fanout;

    ChatMsgDialect(boolean fanout) {
        this.fanout = fanout;
    }

    @Override
    public boolean acknowledges() {
        return true;
    }

    @Override
    public void login(Connection c) {
        c.put("LOGIN ").put(c.id).put("\n");
    }

    @Override
    public void startMessage(Connection c, Connection to) {
        if (to == null) {
            c.put("MSG ALL ");
        } else {
            c.put("MSG ").put(to.id).put(" ");
        }
    }

    @Override
    public void endLine(Connection c) {
        c.put("\n");
    }

    @Override
    public void line(Connection c, byte[] b, int s, int e, long now, Events events) {
        if (starts(b, s, e, "MSG ")) {
            // MSG <from> <to> <text>
            int p = skipWord(b, s + 4, e);
            p = skipWord(b, p, e);
            events.delivered(c, b, p, e, now);
        } else if (e - s >= 3 && b[s] >= '0' && b[s] <= '9') {
            reply(c, b, s, e, now, events);
        } else if (starts(b, s, e, "PING ")) {
            c.put("PONG ").put(b, s + 5, e - s - 5).put("\n");
            events.wrote(c);
        }
    }

    private void reply(Connection c, byte[] b, int s, int e, long now, Events events) {
        if (starts(b, s, e, "200 MSG ") || starts(b, s, e, "202 MSG ")) {
            long recipients = 1;
            if (fanout) {
                int p = skipWord(b, s + 8, e);
                recipients = p < e ? parseLong(b, p, e) : 0;
            }
            events.acknowledged(c, recipients, now);
        } else if (starts(b, s, e, "200 LOGIN ")) {
            events.loggedIn(c);
        } else if (b[s] >= '4') {
            events.error();
            if (!c.loggedIn) {
                events.fatal(
                        "client " + c.index + " could not log in: " + new String(b, s, e - s, StandardCharsets.UTF_8));
            } else {
                events.refused(c);
            }
        }
    }
}
