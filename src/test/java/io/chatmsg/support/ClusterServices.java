package io.chatmsg.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the cluster tests need besides the JDK: PostgreSQL on 127.0.0.1:5432 (the nodes' one
 * database), Redis on 127.0.0.1:6379 (their shared one) and {@code redis-server} on the PATH
 * (for a private Redis a test can stop). With any missing, the tests are skipped with one line
 * naming it, except under {@code CI=true}, where they run (and fail).
 */
public final class ClusterServices implements ExecutionCondition {

    private static volatile boolean told;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if ("true".equals(System.getenv("CI"))) {
            return ConditionEvaluationResult.enabled("CI: cluster services are required");
        }
        List<String> missing = new ArrayList<>();
        if (!TestStore.reachable()) {
            missing.add("PostgreSQL on " + TestStore.HOST + ":" + TestStore.PORT);
        }
        if (!TestRedis.reachable(TestRedis.PORT)) {
            missing.add("Redis on " + TestRedis.HOST + ":" + TestRedis.PORT);
        }
        if (!PrivateRedis.installed()) {
            missing.add("redis-server on the PATH");
        }
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("PostgreSQL and Redis are here");
        }
        String why = "cluster tests skipped: no " + String.join(", no ", missing);
        if (!told) {
            told = true;
            System.err.println(why);
        }
        return ConditionEvaluationResult.disabled(why);
    }
}
