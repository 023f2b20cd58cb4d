package io.chatmsg.gateway;

/**
 * Sent up the pipeline by a guard handler (rate limiter, line deadline,
 * protocol sniffer) so the client handler closes the connection its usual
 * way: leave the chat, write {@code lastLine}, record {@code endReason}.
 */
record CloseRequest(String lastLine, String endReason, String metric) {}
