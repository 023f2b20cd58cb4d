package io.chatmsg.chat;

import java.util.concurrent.CompletableFuture;

import static io.chatmsg.protocol.ReplyCodes.UNAUTHORIZED;
import static io.chatmsg.protocol.ReplyCodes.UNAVAILABLE;

/** Replies that several parts of the chat core give, made once. */
final class Replies {

    static final CompletableFuture<Response> NOT_LOGGED_IN = done(Response.reply(UNAUTHORIZED, "not logged in"));
    static final CompletableFuture<Response> BUSY = done(Response.reply(UNAVAILABLE, "server busy, try again"));

    private Replies() {}

    static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
