package io.chatmsg.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * What every package may count on: the clock, Spring's scheduler and
 * {@code @Async}. Each package binds its own properties
 * ({@code @ConfigurationPropertiesScan} on the application) and declares its
 * own pools ({@link BoundedPool}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableAsync
class CoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NodeIdentity nodeIdentity(ClusterProperties cluster, ChatProperties chat) {
        return new NodeIdentity(cluster.nodeId(chat.port()), cluster.enabled());
    }
}
