package io.chatmsg.protocol;

import java.util.Locale;

/**
 * Client ids as docs/protocol.md defines them: 1 to 32 characters of
 * {@code A-Z a-z 0-9 _ . -}, unique case-insensitively, {@code ALL} and
 * {@code SERVER} reserved in any case. An id made only of dots ({@code .},
 * {@code ..}) is not one: it could never be named in a URL path of the
 * REST API ({@code /api/users/..} is a path step, refused by the firewall).
 */
public final class ClientIds {

    public static final int MAX_LENGTH = 32;
    public static final String ALL = "ALL";
    public static final String SERVER = "SERVER";

    private ClientIds() {}

    /** True when {@code id} has the allowed length and characters, not only dots (reserved ids included). */
    public static boolean isWellFormed(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        boolean onlyDots = true;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-';
            if (!ok) {
                return false;
            }
            onlyDots &= c == '.';
        }
        return !onlyDots;
    }

    public static boolean isReserved(String id) {
        return ALL.equalsIgnoreCase(id) || SERVER.equalsIgnoreCase(id);
    }

    /** Well formed and not reserved: an id a client may log in as. */
    public static boolean isValidClientId(String id) {
        return isWellFormed(id) && !isReserved(id);
    }

    /**
     * The key under which an id is unique. Ids are ASCII, so lower-casing in the
     * root locale is exactly the protocol's case folding.
     */
    public static String fold(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
