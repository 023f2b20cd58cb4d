package io.chatmsg.session;

import java.util.Collection;

/**
 * The sessions other nodes of a cluster hold, as they last published them
 * (cluster mode registers one with {@link SessionRecorder#elsewhere}); a single
 * node has none.
 */
public interface SessionsElsewhere {

    /** A snapshot: read-only copies ({@link LiveSession#elsewhere}), refreshed every heartbeat. */
    Collection<LiveSession> sessions();

    /** The copy of session {@code id}, or null when no other node holds it. */
    LiveSession session(long id);
}
