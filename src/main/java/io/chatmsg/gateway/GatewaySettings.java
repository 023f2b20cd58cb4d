package io.chatmsg.gateway;

import java.time.Duration;

import io.chatmsg.config.ChatProperties;
import io.chatmsg.config.LimitsProperties;
import io.chatmsg.session.LatencyProperties;

/** The few settings each connection's handlers read, resolved once. */
record GatewaySettings(
        String serverName,
        int maxLineLength,
        Duration idleTimeout,
        Duration pingTimeout,
        int maxPendingReplies,
        int commandBurst,
        int commandRate,
        int floodThreshold,
        Duration lineDeadline,
        Duration loginDeadline,
        long slowConsumerBacklog,
        Duration slowConsumerGrace,
        Duration latencyInterval,
        Duration inactiveAfter) {

    static GatewaySettings from(ChatProperties chat, LimitsProperties limits, LatencyProperties latency) {
        return new GatewaySettings(
                chat.serverName(),
                (int) limits.maxLineLength().toBytes(),
                limits.idleTimeout(),
                limits.pingTimeout(),
                limits.maxPendingReplies(),
                limits.commandBurst(),
                limits.commandRate(),
                limits.floodThreshold(),
                limits.lineDeadline(),
                limits.loginDeadline(),
                limits.slowConsumerBacklog().toBytes(),
                limits.slowConsumerGrace(),
                latency.interval(),
                latency.inactiveAfter());
    }
}
