package io.chatmsg.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One event line encoded once, however many connections it goes to (a
 * broadcast to ten thousand clients is encoded to UTF-8 once).
 */
public final class OutboundLine {

    private final byte[] bytes;
    private final boolean message;

    private OutboundLine(String line, boolean message) {
        this.bytes = line.getBytes(StandardCharsets.UTF_8);
        this.message = message;
    }

    /** A {@code MSG} event: it counts as a message received. */
    public static OutboundLine message(String from, String to, String text) {
        return new OutboundLine(Lines.message(from, to, text), true);
    }

    /** Any other event; {@code line} must end with CR LF. */
    public static OutboundLine event(String line) {
        return new OutboundLine(line, false);
    }

    public byte[] bytes() {
        return bytes;
    }

    public boolean isMessage() {
        return message;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8).stripTrailing();
    }
}
