package io.chatmsg.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/** What an {@code Authorization: Basic ...} header carries, read the way Spring Security reads it. */
final class BasicCredentials {

    private BasicCredentials() {}

    /**
     * The user name of a well-formed Basic header ({@code Basic base64(user:password)}),
     * or null for anything else (another scheme, bad Base64, no colon).
     */
    static String userName(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : decoded.substring(0, colon);
    }

    /**
     * A script's call: well-formed HTTP Basic credentials (checked by the
     * Basic filter; wrong ones are a 401) and no logged-in dashboard session
     * (with one, the Basic filter would not check them again, so the cookie
     * would be what authenticates). A page cannot make a browser send this.
     */
    static boolean isScriptCall(HttpServletRequest request) {
        if (userName(request.getHeader("Authorization")) == null) {
            return false;
        }
        HttpSession session = request.getSession(false);
        return session == null
                || session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) == null;
    }
}
