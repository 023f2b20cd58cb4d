package io.chatmsg.config;

import java.nio.file.Path;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Offers {@code chat.data-dir-absolute}, the data dir as an absolute path, for
 * the default H2 URL: H2 refuses a relative path such as {@code data} unless
 * it starts with {@code ./}. Resolved at each lookup, so it follows whatever
 * source finally sets {@code chat.data-dir}.
 */
class DataDirEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String KEY = "chat.data-dir-absolute";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // The source object must not be the environment itself: Spring would walk into it forever.
        environment.getPropertySources().addLast(new PropertySource<>("chatDataDir", KEY) {
            @Override
            public Object getProperty(String name) {
                if (!KEY.equals(name)) {
                    return null;
                }
                String dir = environment.getProperty("chat.data-dir", "./data");
                return Path.of(dir).toAbsolutePath().normalize().toString();
            }
        });
    }
}
