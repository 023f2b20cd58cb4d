package io.chatmsg.gateway;

import java.time.Duration;

import io.chatmsg.config.ChatProperties;
import io.chatmsg.config.LimitsProperties;

/** The few settings each connection's handlers read, resolved once. */
record GatewaySettings(
        String serverName, int maxLineLength, Duration idleTimeout, Duration pingTimeout, int maxPendingReplies) {

    static GatewaySettings from(ChatProperties chat, LimitsProperties limits) {
        return new GatewaySettings(
                chat.serverName(),
                (int) limits.maxLineLength().toBytes(),
                limits.idleTimeout(),
                limits.pingTimeout(),
                limits.maxPendingReplies());
    }
}
