package io.chatmsg.admin;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.chatmsg.chat.ChatService;
import io.chatmsg.config.LimitsProperties;
import io.chatmsg.protocol.Lines;
import org.springframework.stereotype.Service;

/**
 * Kick and broadcast, shared by the REST API and the pages: input checked with
 * a reason a person can act on, every action audited.
 */
@Service
class OperatorActions {

    static final int MAX_REASON = 200;
    private static final String BROADCAST_PREFIX = "MSG SERVER ALL ";

    private final ChatService chat;
    private final AuditLog audit;
    private final int maxLineLength;

    OperatorActions(ChatService chat, AuditLog audit, LimitsProperties limits) {
        this.chat = chat;
        this.audit = audit;
        this.maxLineLength = (int) limits.maxLineLength().toBytes();
    }

    /** False when the session is not live (any more). */
    boolean kick(long sessionId, String reason, String operator, String remote) {
        String r = checkText(reason, "reason", MAX_REASON);
        boolean kicked = chat.kick(sessionId, operator, r);
        if (kicked) {
            audit.record(operator, AuditLog.KICK, "session " + sessionId + ": " + r, remote);
        }
        return kicked;
    }

    Views.BroadcastResult broadcast(String text, String operator, String remote) {
        int max = maxLineLength - BROADCAST_PREFIX.length() - Lines.CRLF.length();
        String t = checkText(text, "text", Integer.MAX_VALUE);
        if (t.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new IllegalArgumentException("text is too long: at most " + max + " bytes (UTF-8)");
        }
        ChatService.Broadcast b;
        try {
            b = chat.broadcastFromServer(t).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the message could not be stored; try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        audit.record(
                operator,
                AuditLog.BROADCAST,
                "message " + b.messageId() + " to " + b.recipients() + " clients: " + t,
                remote);
        return new Views.BroadcastResult(b.messageId(), b.recipients());
    }

    /** Present, not only spaces, one line of printable text, at most {@code max} characters. */
    private static String checkText(String text, String field, int max) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(field + " must be one line without control characters");
            }
        }
        if (text.length() > max) {
            throw new IllegalArgumentException(field + " is too long: at most " + max + " characters");
        }
        return text;
    }
}
