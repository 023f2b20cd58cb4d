package io.chatmsg.chat;

import io.chatmsg.protocol.Lines;

/**
 * Why an operator closes a live session: the last line the client gets and the
 * end reason its session record keeps.
 */
public record Kick(String lastLine, String endReason) {

    /** {@code KICKED <reason>}, ended as {@code kicked by <operator>: <reason>}. */
    public static Kick byOperator(String operator, String reason) {
        return new Kick(Lines.kicked(reason), "kicked by " + operator + ": " + reason);
    }

    /** The id or the address was just banned: {@code KICKED banned: <reason>}, ended as {@code banned}. */
    public static Kick banned(String reason) {
        return new Kick(Lines.kicked("banned: " + reason), "banned");
    }
}
