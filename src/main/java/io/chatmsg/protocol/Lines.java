package io.chatmsg.protocol;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Formats what the server sends. Every line ends with CR LF; replies are
 * {@code CODE text}, continuation lines {@code CODE-text}, events start with
 * an upper-case word.
 */
public final class Lines {

    public static final String CRLF = "\r\n";
    public static final String PROTOCOL_VERSION = "CHAT-MSG/1";

    private Lines() {}

    public static String reply(int code, String text) {
        return code + " " + text + CRLF;
    }

    public static String hello(String serverName) {
        return "HELLO " + PROTOCOL_VERSION + " " + serverName + CRLF;
    }

    public static String message(String from, String to, String text) {
        return "MSG " + from + " " + to + " " + text + CRLF;
    }

    public static String join(String id) {
        return "JOIN " + id + CRLF;
    }

    public static String leave(String id) {
        return "LEAVE " + id + CRLF;
    }

    public static String ping(String token) {
        return "PING " + token + CRLF;
    }

    public static String file(String from, String to, String fileId, long size, String name) {
        return "FILE " + from + " " + to + " " + fileId + " " + size + " " + name + CRLF;
    }

    public static String kicked(String reason) {
        return "KICKED " + reason + CRLF;
    }

    public static String bye(String reason) {
        return "BYE " + reason + CRLF;
    }

    /** ISO-8601 UTC with millisecond precision, as HISTORY and the API print times. */
    public static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Builds a multi-line reply: continuation lines, then exactly one final line. */
    public static final class MultiLine {
        private final int code;
        private final StringBuilder out = new StringBuilder(256);
        private int lines;

        public MultiLine(int code) {
            this.code = code;
        }

        public MultiLine add(String text) {
            out.append(code).append('-').append(text).append(CRLF);
            lines++;
            return this;
        }

        public String end(String text) {
            return out.append(code).append(' ').append(text).append(CRLF).toString();
        }

        public int continuationLines() {
            return lines;
        }
    }
}
