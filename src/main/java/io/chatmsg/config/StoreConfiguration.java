package io.chatmsg.config;

import java.time.Clock;
import javax.sql.DataSource;

import io.chatmsg.session.TrafficProperties;
import io.chatmsg.store.GroupCommitWriter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({
    ChatProperties.class,
    LimitsProperties.class,
    StoreProperties.class,
    TrafficProperties.class
})
class StoreConfiguration {

    @Bean
    GroupCommitWriter groupCommitWriter(DataSource dataSource, StoreProperties store) {
        return new GroupCommitWriter(dataSource, store.queueCapacity(), store.maxBatch());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
