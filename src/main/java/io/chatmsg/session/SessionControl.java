package io.chatmsg.session;

/** What the transport lets others do to a live session. Implemented by the gateway; thread-safe. */
public interface SessionControl {

    /** Sends {@code lastLine} (CR LF terminated), closes, and records {@code endReason}. */
    void close(String lastLine, String endReason);
}
