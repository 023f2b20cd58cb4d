package io.chatmsg.alerts;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the last state of each watched thing and says when it changed, so
 * an alert goes out per change, not per probe. "unknown" (not measured yet) is
 * no state at all; the first state seen is only a change when it is bad.
 * One thread only.
 */
final class StateTracker {

    static final String UNKNOWN = "unknown";
    private static final String NORMAL = "normal";
    private static final String OFFLINE = "offline";

    private final Map<String, String> last = new HashMap<>();

    /** The previous state when {@code state} is news, else null. */
    String changed(String key, String state) {
        if (UNKNOWN.equals(state)) {
            return null;
        }
        String before = last.put(key, state);
        if (before == null) {
            return NORMAL.equals(state) || OFFLINE.equals(state) ? null : UNKNOWN;
        }
        return before.equals(state) ? null : before;
    }
}
