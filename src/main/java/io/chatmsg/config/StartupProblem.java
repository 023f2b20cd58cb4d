package io.chatmsg.config;

/**
 * Something in the deployment that stops the start-up: reported as one line
 * saying what is wrong and one saying what to do, without a stack trace
 * (see {@code ops.StartupFailureAnalyzer}), and as one line on stderr (see
 * {@code ops.StartupFailures}). Here, in the lowest package, so that whatever
 * starts (the gateway, the data-dir check) can throw it.
 */
public class StartupProblem extends RuntimeException {

    private final String action;
    private final boolean configuration;

    /** A problem of the machine (a port in use, a full disk): exit status 1. */
    public StartupProblem(String problem, String action, Throwable cause) {
        this(problem, action, cause, false);
    }

    private StartupProblem(String problem, String action, Throwable cause, boolean configuration) {
        super(problem, cause);
        this.action = action;
        this.configuration = configuration;
    }

    /** A property value that cannot work: a usage error, exit status 2. */
    public static StartupProblem configuration(String problem, String action, Throwable cause) {
        return new StartupProblem(problem, action, cause, true);
    }

    public String action() {
        return action;
    }

    /** True when changing a property is the fix (exit status 2). */
    public boolean isConfiguration() {
        return configuration;
    }
}
