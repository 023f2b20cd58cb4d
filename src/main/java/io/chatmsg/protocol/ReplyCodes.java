package io.chatmsg.protocol;

/** The reply codes of docs/protocol.md. */
public final class ReplyCodes {

    public static final int OK = 200;
    public static final int CREATED = 201;
    public static final int ACCEPTED = 202;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int TOO_LARGE = 413;
    /** UDP only: the sender's address must first prove that it receives datagrams ({@code VERIFY}). */
    public static final int VERIFY_FIRST = 428;

    public static final int TOO_MANY_REQUESTS = 429;
    public static final int UNAVAILABLE = 503;

    private ReplyCodes() {}
}
