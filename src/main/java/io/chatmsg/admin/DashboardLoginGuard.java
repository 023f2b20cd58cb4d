package io.chatmsg.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lockout of the dashboard and API logins (Openfire's defaults): after 10
 * failures for one user name, or 40 from one address, within 15 minutes,
 * further attempts are refused (429) until the window has passed, without
 * even checking the password. Runs before Spring Security's own filters.
 */
@Component
public class DashboardLoginGuard extends OncePerRequestFilter {

    static final int PER_USER = 10;
    static final int PER_ADDRESS = 40;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AuditLog audit;

    DashboardLoginGuard(Clock clock, AuditLog audit) {
        this.clock = clock;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = attemptedUser(request);
        if (user != null && locked(user, request.getRemoteAddr())) {
            audit.record(user, AuditLog.LOCKED_OUT, "login refused: too many failures", request.getRemoteAddr());
            response.setStatus(429);
            response.setHeader("Retry-After", String.valueOf(WINDOW.toSeconds()));
            if (request.getRequestURI().startsWith("/api/")
                    || request.getRequestURI().startsWith("/actuator/")) {
                response.setContentType("application/problem+json");
                response.getWriter()
                        .write("{\"status\":429,\"title\":\"Too Many Requests\","
                                + "\"detail\":\"too many failed logins; try again later\"}");
            } else {
                response.sendRedirect("/login?locked");
            }
            return;
        }
        chain.doFilter(request, response);
    }

    /** The user name of a login attempt in this request (form POST or HTTP Basic), or null. */
    private static String attemptedUser(HttpServletRequest request) {
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getRequestURI())) {
            String u = request.getParameter("username");
            return u == null ? "" : u;
        }
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return null;
    }

    boolean locked(String user, String address) {
        return count("user:" + user) >= PER_USER || count("address:" + address) >= PER_ADDRESS;
    }

    private int count(String key) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(WINDOW);
        synchronized (d) {
            while (!d.isEmpty() && d.peekFirst().isBefore(cutoff)) {
                d.pollFirst();
            }
            return d.size();
        }
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        Instant now = clock.instant();
        record("user:" + event.getAuthentication().getName(), now);
        if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails d) {
            record("address:" + d.getRemoteAddress(), now);
        }
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        failures.remove("user:" + event.getAuthentication().getName());
    }

    private void record(String key, Instant now) {
        if (failures.size() > 100_000) {
            failures.clear(); // a flood of names: start over rather than grow without bound
        }
        Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(now);
            if (d.size() > 1000) {
                d.pollFirst();
            }
        }
    }
}
