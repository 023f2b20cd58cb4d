package io.chatmsg.ops;

import java.sql.SQLException;

import io.chatmsg.config.StartupProblem;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the start-up failures an operator can cause into one line of what and
 * one of what to do: our own {@link StartupProblem}s, and an H2 database file
 * that is corrupt or already open in another process; a dashboard port out of
 * range.
 */
class StartupFailureAnalyzer implements FailureAnalyzer {

    /** H2's error codes (org.h2.api.ErrorCode). */
    private static final int FILE_CORRUPTED = 90030;

    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final int FILE_VERSION_ERROR = 90048;

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupProblem p) {
                return new FailureAnalysis(p.getMessage(), p.action(), p);
            }
            if (t instanceof SQLException e) {
                FailureAnalysis a = h2(e);
                if (a != null) {
                    return a;
                }
            }
            if (t.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
                return corrupt(t);
            }
            String port = StartupFailures.webPortOutOfRange(t);
            if (port != null) {
                return new FailureAnalysis(
                        "server.port=" + port + " is not a port number (0-65535)",
                        "Set server.port to a number from 0 to 65535 (0: any free port).",
                        t);
            }
        }
        return null;
    }

    private static FailureAnalysis h2(SQLException e) {
        return switch (e.getErrorCode()) {
            case FILE_CORRUPTED, FILE_VERSION_ERROR -> corrupt(e);
            case DATABASE_ALREADY_OPEN ->
                new FailureAnalysis(
                        "the database is in use by another process (is the gateway already running?): " + firstLine(e),
                        "Stop the other process, or give this one its own chat.data-dir.",
                        e);
            default -> null;
        };
    }

    private static FailureAnalysis corrupt(Throwable e) {
        return new FailureAnalysis(
                "the database file is corrupt or not an H2 database: " + firstLine(e),
                "Restore the latest backup (docs/operations.md, 'Restore'), or move the file away to start empty.",
                e);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
