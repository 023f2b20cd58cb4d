package io.chatmsg.cluster;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterEnvironmentTests {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new ClusterEnvironment().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void aSingleNodeLeavesRedisAutoConfigurationOut() {
        StandardEnvironment env = environment(Map.of());
        assertThat(env.getProperty("spring.autoconfigure.exclude"))
                .contains("DataRedisAutoConfiguration")
                .contains("DataRedisHealthContributorAutoConfiguration");
    }

    @Test
    void aNodeOfAClusterKeepsItButNotRedisRepositories() {
        StandardEnvironment env = environment(Map.of("chat.cluster.enabled", "true"));
        assertThat(env.getProperty("spring.autoconfigure.exclude")).isNull();
        assertThat(env.getProperty("spring.data.redis.repositories.enabled")).isEqualTo("false");
    }

    @Test
    void anExclusionSetElsewhereWins() {
        StandardEnvironment env = environment(Map.of("spring.autoconfigure.exclude", "x.Y"));
        assertThat(env.getProperty("spring.autoconfigure.exclude")).isEqualTo("x.Y");
    }
}
