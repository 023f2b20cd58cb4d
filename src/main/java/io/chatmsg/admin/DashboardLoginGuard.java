package io.chatmsg.admin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lockout of the dashboard and API logins (Openfire's defaults): after 40
 * failures from one address within 15 minutes, further attempts from it are
 * refused (429) without checking the password; after 10 for one user name
 * (any case), attempts for it are refused from every address that has failed
 * as well (see {@link LoginFailures}). Runs before Spring Security's own
 * filters. The address is {@code request.getRemoteAddr()}: the client's own
 * behind a reverse proxy only with {@code server.forward-headers-strategy}
 * set; X-Forwarded-For is not trusted otherwise.
 */
@Component
class DashboardLoginGuard extends OncePerRequestFilter {

    static final int PER_USER = 10;
    static final int PER_ADDRESS = 40;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final LoginFailures failures;
    private final AuditLog audit;

    DashboardLoginGuard(Clock clock, AuditLog audit) {
        this.failures = new LoginFailures(clock, PER_USER, PER_ADDRESS, WINDOW);
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = attemptedUser(request);
        if (user != null && failures.refuses(user, request.getRemoteAddr())) {
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
            String user = BasicCredentials.userName(auth);
            return user == null ? "" : user;
        }
        return null;
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        failures.failed(event.getAuthentication().getName(), address(event.getAuthentication()));
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        failures.succeeded(address(event.getAuthentication()));
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
    }
}
