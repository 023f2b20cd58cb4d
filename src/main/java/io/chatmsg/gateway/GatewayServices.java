package io.chatmsg.gateway;

import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.FlapDetector;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.session.SessionRecorder;

/**
 * What every TCP connection's handlers share; {@code hello} is the HELLO line, made once;
 * {@code errors} what an exception means (the command handler, last in the pipeline, hands it each);
 * {@code heartbeats} the one timer per event loop that the connections' heartbeats share.
 */
record GatewayServices(
        ChatService chat,
        SessionRecorder sessions,
        CommandParser parser,
        GatewaySettings settings,
        FileTransfers transfers,
        ConnectionLimiter limiter,
        FlapDetector flapping,
        String hello,
        ErrorHandler errors,
        HeartbeatSweep.PerLoop heartbeats) {}
