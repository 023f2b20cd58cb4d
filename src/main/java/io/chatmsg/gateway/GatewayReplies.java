package io.chatmsg.gateway;

import java.util.concurrent.CompletableFuture;

import io.chatmsg.chat.Response;
import io.chatmsg.protocol.ReplyCodes;

/** The replies the gateway itself gives, before or instead of the chat service: made once. */
final class GatewayReplies {

    static final CompletableFuture<Response> INVALID_UTF8 =
            CompletableFuture.completedFuture(Response.reply(ReplyCodes.BAD_REQUEST, "invalid UTF-8"));

    static final CompletableFuture<Response> RATE_LIMITED = CompletableFuture.completedFuture(
            Response.reply(ReplyCodes.TOO_MANY_REQUESTS, "rate limit: slow down; the command was not executed"));

    static final CompletableFuture<Response> LINE_TOO_LONG =
            CompletableFuture.completedFuture(Response.reply(ReplyCodes.TOO_LARGE, "line too long"));

    /** A reply that failed (the database writer refused or lost its work). */
    static final Response BUSY = Response.reply(ReplyCodes.UNAVAILABLE, "server busy, try again");

    private GatewayReplies() {}
}
