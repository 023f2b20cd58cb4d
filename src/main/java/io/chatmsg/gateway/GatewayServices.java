package io.chatmsg.gateway;

import io.chatmsg.chat.ChatService;
import io.chatmsg.chat.FileTransfers;
import io.chatmsg.chat.FlapDetector;
import io.chatmsg.protocol.CommandParser;
import io.chatmsg.session.SessionRecorder;

/** What every TCP connection's handlers share; {@code hello} is the HELLO line, made once. */
record GatewayServices(
        ChatService chat,
        SessionRecorder sessions,
        CommandParser parser,
        GatewaySettings settings,
        FileTransfers transfers,
        ConnectionLimiter limiter,
        FlapDetector flapping,
        String hello) {}
