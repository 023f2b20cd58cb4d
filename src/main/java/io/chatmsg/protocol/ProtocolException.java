package io.chatmsg.protocol;

/**
 * A command line that cannot be executed: carries the reply code and the
 * human-readable reason sent back. Thrown often enough on hostile input that
 * it skips the stack trace.
 */
public final class ProtocolException extends RuntimeException {

    private final int code;

    public ProtocolException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }
}
