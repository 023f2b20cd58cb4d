package io.chatmsg.protocol;

/**
 * One parsed command line. Every variant is already syntactically valid: ids
 * are well formed, texts are non-empty, numbers are in range.
 */
public sealed interface Command {

    /** An empty line or a line of only spaces: the protocol says no reply. */
    record Blank() implements Command {
        static final Blank INSTANCE = new Blank();
    }

    /** {@code LOGIN id [password]}; {@code password} is null when absent. */
    record Login(String id, String password) implements Command {
        @Override
        public String toString() {
            return "Login[id=" + id + (password == null ? "" : ", password=********") + "]";
        }
    }

    record Logoff(String id) implements Command {}

    /** {@code REGISTER id password}; the password already meets the protocol's rules. */
    record Register(String id, String password) implements Command {
        @Override
        public String toString() {
            return "Register[id=" + id + ", password=********]";
        }
    }

    /** {@code MSG id text}: a direct message; {@code text} is kept byte for byte. */
    record Msg(String target, String text) implements Command {}

    /** {@code MSG ALL text}. */
    record MsgAll(String text) implements Command {}

    record Who() implements Command {}

    /** {@code HISTORY id|ALL [n]}; {@code target} is null for ALL; {@code limit} already capped. */
    record History(String target, int limit) implements Command {
        public boolean broadcasts() {
            return target == null;
        }
    }

    /** {@code PING [token]}; {@code token} is empty when absent. */
    record Ping(String token) implements Command {}

    record Pong(String token) implements Command {}

    record Help() implements Command {}

    record Quit() implements Command {}

    /**
     * {@code PUT id|ALL size name}: {@code size} raw bytes follow the line (the framer
     * has already switched to body mode for them); {@code target} is null for ALL.
     */
    record Put(String target, long size, String name) implements Command {
        public boolean broadcast() {
            return target == null;
        }
    }

    /**
     * {@code VERIFY cookie}: over UDP, the proof that the sender's address receives
     * datagrams (the cookie came in a {@code 428 VERIFY} reply); not checked here.
     */
    record Verify(String cookie) implements Command {}

    /** {@code GET file-id}; the id is already lower case. */
    record Get(String fileId) implements Command {}
}
