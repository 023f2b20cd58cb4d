package io.chatmsg.account;

/**
 * Something the chat side refused for security reasons that the operator
 * should see in the audit log (the admin side listens): an automatic ban, a
 * login throttle starting.
 */
public record SecurityEvent(String action, String subject, String details, String remote) {}
