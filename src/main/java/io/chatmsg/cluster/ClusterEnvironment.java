package io.chatmsg.cluster;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A single node never touches Redis: unless {@code chat.cluster.enabled=true}, Spring
 * Boot's Redis auto-configuration (connection factory, templates, repositories, health)
 * is left out, so no client, thread or health check exists for a Redis nobody runs.
 * Added last: a property set anywhere else wins.
 */
class ClusterEnvironment implements EnvironmentPostProcessor {

    static final String REDIS_AUTO_CONFIGURATION = String.join(
            ",",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean clustered = Boolean.parseBoolean(environment.getProperty("chat.cluster.enabled", "false"));
        Map<String, Object> defaults = clustered
                ? Map.of("spring.data.redis.repositories.enabled", "false")
                : Map.of("spring.autoconfigure.exclude", REDIS_AUTO_CONFIGURATION);
        environment.getPropertySources().addLast(new MapPropertySource("chatCluster", defaults));
    }
}
