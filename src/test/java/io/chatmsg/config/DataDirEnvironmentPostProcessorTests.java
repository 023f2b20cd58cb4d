package io.chatmsg.config;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirEnvironmentPostProcessorTests {

    private final StandardEnvironment environment = new StandardEnvironment();

    @Test
    void relativeDataDirBecomesAbsoluteForTheH2Url() {
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("chat.data-dir", "data")));
        new DataDirEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("chat.data-dir-absolute"))
                .isEqualTo(Path.of("data").toAbsolutePath().toString());
    }

    @Test
    void followsAValueAddedAfterwards() {
        new DataDirEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("chat.data-dir-absolute"))
                .isEqualTo(Path.of("data").toAbsolutePath().toString());
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("late", Map.of("chat.data-dir", "/srv/chat/../x")));
        assertThat(environment.getProperty("chat.data-dir-absolute")).isEqualTo("/srv/x");
    }
}
