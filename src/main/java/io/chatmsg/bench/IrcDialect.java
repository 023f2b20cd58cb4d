package io.chatmsg.bench;

import java.nio.charset.StandardCharsets;

import static io.chatmsg.bench.Bytes.skipWord;
import static io.chatmsg.bench.Bytes.starts;

/**
 * IRC, as much as the peers of docs/performance.md need: {@code NICK}/{@code USER},
 * {@code PRIVMSG nick} for direct messages and {@code PRIVMSG #bench} (after
 * {@code JOIN}, ready at {@code 366}) for fan-out, {@code PING}/{@code PONG}.
 * No acknowledgements: a message is outstanding until delivered.
 */
final class IrcDialect implements Dialect {

    private final boolean fanout;

    IrcDialect(boolean fanout) {
        this.fanout = fanout;
    }

    @Override
    public boolean acknowledges() {
        return false;
    }

    @Override
    public void login(Connection c) {
        c.put("NICK ").put(c.id).put("\r\nUSER ").put(c.id).put(" 0 * :bench\r\n");
    }

    @Override
    public void startMessage(Connection c, Connection to) {
        if (to == null) {
            c.put("PRIVMSG #bench :");
        } else {
            c.put("PRIVMSG ").put(to.id).put(" :");
        }
    }

    @Override
    public void endLine(Connection c) {
        c.put("\r\n");
    }

    @Override
    public void line(Connection c, byte[] b, int s, int e, long now, Events events) {
        if (starts(b, s, e, "PING ")) {
            c.put("PONG ").put(b, s + 5, e - s - 5).put("\r\n");
            events.wrote(c);
            return;
        }
        if (e == s || b[s] != ':') {
            if (starts(b, s, e, "ERROR")) {
                events.error();
            }
            return;
        }
        int cmd = skipWord(b, s, e);
        if (starts(b, cmd, e, "PRIVMSG ")) {
            int p = skipWord(b, cmd + 8, e);
            if (p < e && b[p] == ':') {
                p++;
            }
            events.delivered(c, b, p, e, now);
        } else if (starts(b, cmd, e, "001 ")) {
            if (fanout) {
                c.put("JOIN #bench\r\n");
                events.wrote(c);
            } else {
                events.loggedIn(c);
            }
        } else if (starts(b, cmd, e, "366 ")) {
            events.loggedIn(c);
        } else if (starts(b, cmd, e, "433 ") || starts(b, cmd, e, "432 ") || starts(b, cmd, e, "465 ")) {
            events.error();
            events.fatal("client " + c.index + " refused: " + new String(b, s, e - s, StandardCharsets.UTF_8));
        } else if (cmd + 3 < e && b[cmd] >= '4' && b[cmd] <= '5' && b[cmd + 3] == ' ') {
            events.error();
        }
    }
}
