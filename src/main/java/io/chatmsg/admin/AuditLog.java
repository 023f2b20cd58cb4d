package io.chatmsg.admin;

import java.time.Clock;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Persists every operator action. Logins and failed logins come from Spring
 * Security's events.
 */
@Service
public class AuditLog {

    public static final String LOGIN = "login";
    public static final String LOGIN_FAILED = "login failed";
    public static final String KICK = "kick";
    public static final String BROADCAST = "broadcast";
    public static final String BACKUP = "backup";
    public static final String ACCOUNT = "account";
    public static final String BAN = "ban";
    public static final String LOCKED_OUT = "locked out";
    public static final String PASSWORD = "operator password";

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final AuditEntryRepository repository;
    private final Clock clock;

    AuditLog(AuditEntryRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Transactional
    public void record(String operator, String action, String details, HttpServletRequest request) {
        record(operator, action, details, request == null ? null : request.getRemoteAddr());
    }

    @Transactional
    public void record(String operator, String action, String details, String remote) {
        log.info("audit: {} {} {} from {}", operator, action, details == null ? "" : details, remote);
        repository.save(
                new AuditEntry(clock.instant(), truncate(operator, 100), action, truncate(details, 2000), remote));
    }

    /**
     * Refusals the chat side decided by itself (automatic bans, login throttling), by
     * "gateway". Published on event loops: written from Spring's task executor.
     */
    @Async
    @EventListener
    void onSecurityEvent(io.chatmsg.account.SecurityEvent e) {
        record("gateway", e.action(), e.subject() + ": " + e.details(), e.remote());
    }

    /** Dashboard logins (form). API calls authenticate on every request and are not each a login. */
    @EventListener
    void onLogin(InteractiveAuthenticationSuccessEvent event) {
        String remote = event.getAuthentication().getDetails() instanceof WebAuthenticationDetails d
                ? d.getRemoteAddress()
                : null;
        record(event.getAuthentication().getName(), LOGIN, "dashboard", remote);
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        String remote = event.getAuthentication().getDetails() instanceof WebAuthenticationDetails d
                ? d.getRemoteAddress()
                : null;
        record(
                String.valueOf(event.getAuthentication().getName()),
                LOGIN_FAILED,
                event.getException().getMessage(),
                remote);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
