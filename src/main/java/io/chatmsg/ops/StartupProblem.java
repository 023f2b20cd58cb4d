package io.chatmsg.ops;

/**
 * Something in the deployment that stops the start-up: reported as one line
 * saying what is wrong and one saying what to do, without a stack trace
 * (see {@link StartupFailureAnalyzer}).
 */
public class StartupProblem extends RuntimeException {

    private final String action;

    public StartupProblem(String problem, String action, Throwable cause) {
        super(problem, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
