package io.chatmsg.support;

import java.util.HashMap;
import java.util.Map;

import io.chatmsg.config.LimitsProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code chat.limits.*} as the application would bind them: the defaults, with some set. */
public final class TestLimits {

    private TestLimits() {}

    /** {@code keyValues}: names under {@code chat.limits.} and their values, alternating. */
    public static LimitsProperties of(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put("chat.limits." + keyValues[i], keyValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("chat.limits", LimitsProperties.class);
    }
}
