package io.chatmsg.history;

import java.time.Instant;

/** A message as read back for HISTORY and offline delivery. */
public record StoredMessage(long id, Instant sentAt, String sender, String recipient, String text) {}
