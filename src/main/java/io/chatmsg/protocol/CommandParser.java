package io.chatmsg.protocol;

import java.util.Locale;

/**
 * Turns one decoded line (terminator already removed, UTF-8 already checked)
 * into a {@link Command}, or throws {@link ProtocolException} with the reply
 * the client gets. Stateless and thread-safe; knows nothing of sockets.
 */
public final class CommandParser {

    public static final int DEFAULT_HISTORY = 20;
    public static final int MAX_HISTORY = 500;
    private static final int MAX_ECHOED_VERB = 32;
    /** 18 digits always fit in a long; a longer size is malformed (400, no body read). */
    private static final int MAX_SIZE_DIGITS = 18;

    public Command parse(String line) {
        checkControlCharacters(line);
        Tokens t = new Tokens(line);
        String verb = t.next();
        if (verb == null) {
            return Command.Blank.INSTANCE;
        }
        switch (verb.toUpperCase(Locale.ROOT)) {
            case "LOGIN":
                return login(t);
            case "REGISTER":
                return register(t);
            case "LOGOFF":
                return new Command.Logoff(clientId(t.next(), "LOGOFF needs an id"));
            case "MSG":
                return msg(t);
            case "WHO":
                noMoreArguments(t, "WHO");
                return new Command.Who();
            case "HISTORY":
                return history(t);
            case "PING":
                return new Command.Ping(t.rest());
            case "PONG":
                return new Command.Pong(t.rest());
            case "HELP":
                noMoreArguments(t, "HELP");
                return new Command.Help();
            case "PUT":
                return put(t);
            case "GET":
                return get(t);
            case "QUIT":
                noMoreArguments(t, "QUIT");
                return new Command.Quit();
            case "VERIFY":
                return verify(t);
            default:
                throw badRequest("unknown command " + abbreviate(verb));
        }
    }

    private static Command login(Tokens t) {
        String id = t.next();
        if (id == null) {
            throw badRequest("LOGIN needs an id");
        }
        if (!ClientIds.isWellFormed(id)) {
            throw badRequest("bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -");
        }
        if (ClientIds.isReserved(id)) {
            throw badRequest("reserved id " + id);
        }
        String password = t.next();
        if (t.next() != null) {
            throw badRequest("usage: LOGIN <id> [<password>]");
        }
        return new Command.Login(id, password);
    }

    private static Command register(Tokens t) {
        String id = t.next();
        String password = t.next();
        if (id == null || password == null || t.next() != null) {
            throw badRequest("usage: REGISTER <id> <password>");
        }
        if (!ClientIds.isWellFormed(id)) {
            throw badRequest("bad id: 1 to 32 characters of A-Z a-z 0-9 _ . -");
        }
        if (ClientIds.isReserved(id)) {
            throw badRequest("reserved id " + id);
        }
        int n = password.codePointCount(0, password.length());
        if (n < 8 || n > 128) {
            throw badRequest("password must be 8 to 128 characters");
        }
        return new Command.Register(id, password);
    }

    private static Command msg(Tokens t) {
        String target = t.next();
        if (target == null) {
            throw badRequest("usage: MSG <id|ALL> <text>");
        }
        String text = t.textAfterOneSpace();
        boolean broadcast = ClientIds.ALL.equalsIgnoreCase(target);
        if (!broadcast && !ClientIds.isWellFormed(target)) {
            throw badRequest("bad id " + abbreviate(target));
        }
        if (onlySpaces(text)) {
            throw badRequest("empty text");
        }
        return broadcast ? new Command.MsgAll(text) : new Command.Msg(target, text);
    }

    /**
     * The number of body bytes that follow {@code line} when it is a PUT whose size
     * parses (docs/protocol.md: they are consumed whatever the reply), or -1.
     * The framer calls this on every line that starts with PUT, before the parser
     * sees it; {@link #parse} uses the same rule, so the two always agree.
     */
    public static long putBodySize(String line) {
        Tokens t = new Tokens(line);
        String verb = t.next();
        if (verb == null || !verb.equalsIgnoreCase("PUT")) {
            return -1;
        }
        t.next();
        return size(t.next());
    }

    private static long size(String n) {
        if (n == null || n.isEmpty() || n.length() > MAX_SIZE_DIGITS) {
            return -1;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(n);
    }

    private static Command put(Tokens t) {
        String target = t.next();
        String sizeWord = t.next();
        long size = size(sizeWord);
        if (size < 0) {
            throw badRequest(
                    target == null || sizeWord == null
                            ? "usage: PUT <id|ALL> <size> <name>"
                            : "bad size " + abbreviate(sizeWord) + ": expected a number of bytes");
        }
        boolean broadcast = ClientIds.ALL.equalsIgnoreCase(target);
        if (!broadcast && !ClientIds.isWellFormed(target)) {
            throw badRequest("bad id " + abbreviate(target));
        }
        String name = t.rest();
        String problem = FileNames.problem(name);
        if (problem != null) {
            throw badRequest(problem);
        }
        return new Command.Put(broadcast ? null : target, size, name);
    }

    private static Command verify(Tokens t) {
        String cookie = t.next();
        if (cookie == null || t.next() != null) {
            throw badRequest("usage: VERIFY <cookie>");
        }
        return new Command.Verify(cookie);
    }

    private static Command get(Tokens t) {
        String id = t.next();
        if (id == null || t.next() != null) {
            throw badRequest("usage: GET <file-id>");
        }
        if (!FileNames.isFileId(id)) {
            throw badRequest("bad file id " + abbreviate(id));
        }
        return new Command.Get(id.toLowerCase(Locale.ROOT));
    }

    private static Command history(Tokens t) {
        String target = t.next();
        if (target == null) {
            throw badRequest("usage: HISTORY <id|ALL> [<n>]");
        }
        boolean broadcasts = ClientIds.ALL.equalsIgnoreCase(target);
        if (!broadcasts && !ClientIds.isWellFormed(target)) {
            throw badRequest("bad id " + abbreviate(target));
        }
        String n = t.next();
        noMoreArguments(t, "HISTORY");
        int limit = n == null ? DEFAULT_HISTORY : count(n);
        return new Command.History(broadcasts ? null : target, limit);
    }

    private static int count(String n) {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                throw badRequest("bad count " + abbreviate(n) + ": expected a number of 0 or more");
            }
        }
        // Any number of digits is a count; more than nine cannot be below the cap.
        return n.length() > 9 ? MAX_HISTORY : Math.min(Integer.parseInt(n), MAX_HISTORY);
    }

    private static String clientId(String id, String missing) {
        if (id == null) {
            throw badRequest(missing);
        }
        if (!ClientIds.isWellFormed(id)) {
            throw badRequest("bad id " + abbreviate(id));
        }
        return id;
    }

    private static void noMoreArguments(Tokens t, String verb) {
        if (t.next() != null) {
            throw badRequest("too many arguments for " + verb);
        }
    }

    private static void checkControlCharacters(String line) {
        String problem = ControlCharacters.problem(line);
        if (problem != null) {
            throw badRequest(problem + " in line");
        }
    }

    private static boolean onlySpaces(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_ECHOED_VERB ? s : s.substring(0, MAX_ECHOED_VERB) + "...";
    }

    private static ProtocolException badRequest(String reason) {
        return new ProtocolException(ReplyCodes.BAD_REQUEST, reason);
    }

    /** Space-separated words, and the rest of the line kept byte for byte. */
    private static final class Tokens {
        private final String line;
        private int pos;

        Tokens(String line) {
            this.line = line;
        }

        String next() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            if (pos == line.length()) {
                return null;
            }
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != ' ') {
                pos++;
            }
            return line.substring(start, pos);
        }

        /** After a word: skip exactly one separating space and keep everything else. */
        String textAfterOneSpace() {
            if (pos < line.length()) {
                pos++;
            }
            String text = line.substring(pos);
            pos = line.length();
            return text;
        }

        /** The rest after any separating spaces, without trailing spaces. */
        String rest() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            int end = line.length();
            while (end > pos && line.charAt(end - 1) == ' ') {
                end--;
            }
            String rest = line.substring(pos, end);
            pos = line.length();
            return rest;
        }
    }
}
