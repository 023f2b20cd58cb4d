package io.chatmsg.protocol;

import java.util.Locale;

/** Hides secrets in a command line before anyone can see it (dashboard, logs). */
public final class Redactor {

    public static final String MASK = "********";

    private Redactor() {}

    /** {@code LOGIN id secret} becomes {@code LOGIN id ********}; other lines are returned as they are. */
    public static String redact(String line) {
        int start = 0;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        int verbEnd = line.indexOf(' ', start);
        if (verbEnd < 0) {
            return line;
        }
        String verb = line.substring(start, verbEnd).toUpperCase(Locale.ROOT);
        if (!verb.equals("LOGIN") && !verb.equals("REGISTER")) {
            return line;
        }
        int idStart = verbEnd;
        while (idStart < line.length() && line.charAt(idStart) == ' ') {
            idStart++;
        }
        int idEnd = line.indexOf(' ', idStart);
        if (idEnd < 0 || line.substring(idEnd).isBlank()) {
            return line;
        }
        return line.substring(0, idEnd) + " " + MASK;
    }
}
