package io.chatmsg.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One event line encoded once, however many connections it goes to (a
 * broadcast to ten thousand clients is encoded to UTF-8 once).
 */
public final class OutboundLine {

    private final byte[] bytes;
    private final boolean message;
    private volatile boolean many;
    /** See {@link #shared}. */
    private volatile Object shared;

    private static final VarHandle SHARED;

    static {
        try {
            SHARED = MethodHandles.lookup().findVarHandle(OutboundLine.class, "shared", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private OutboundLine(String line, boolean message) {
        this.bytes = line.getBytes(StandardCharsets.UTF_8);
        this.message = message;
    }

    /** A {@code MSG} event: it counts as a message received. */
    public static OutboundLine message(String from, String to, String text) {
        return new OutboundLine(Lines.message(from, to, text), true);
    }

    /** A {@code MSG} event already formatted ({@link Lines#message}), ending with CR LF. */
    public static OutboundLine messageLine(String line) {
        return new OutboundLine(line, true);
    }

    /** Any other event; {@code line} must end with CR LF. */
    public static OutboundLine event(String line) {
        return new OutboundLine(line, false);
    }

    public byte[] bytes() {
        return bytes;
    }

    /** Marks a line that goes to many recipients (see {@link #shared}). */
    public void share() {
        many = true;
    }

    public boolean isShared() {
        return many;
    }

    /**
     * The transport's own form of these bytes, made once by the first recipient
     * that asks and then used by all (an off-heap buffer each socket writes a
     * duplicate of, instead of copying the bytes again).
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(Function<byte[], T> make) {
        Object s = shared;
        if (s == null) {
            s = make.apply(bytes);
            if (!SHARED.compareAndSet(this, null, s)) {
                s = shared;
            }
        }
        return (T) s;
    }

    public boolean isMessage() {
        return message;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8).stripTrailing();
    }
}
