package io.chatmsg.config;

import java.time.Clock;
import javax.sql.DataSource;

import io.chatmsg.alerts.AlertProperties;
import io.chatmsg.files.FileProperties;
import io.chatmsg.ops.OpsProperties;
import io.chatmsg.session.LatencyProperties;
import io.chatmsg.session.TrafficProperties;
import io.chatmsg.store.GroupCommitWriter;
import io.micrometer.core.instrument.Gauge;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableAsync
@EnableConfigurationProperties({
    ChatProperties.class,
    LimitsProperties.class,
    StoreProperties.class,
    TrafficProperties.class,
    TlsProperties.class,
    OpsProperties.class,
    FileProperties.class,
    UdpProperties.class,
    LatencyProperties.class,
    AlertProperties.class
})
class StoreConfiguration {

    @Bean
    GroupCommitWriter groupCommitWriter(
            DataSource dataSource, StoreProperties store, ChatMetrics metrics, ApplicationEventPublisher events) {
        GroupCommitWriter writer = new GroupCommitWriter(dataSource, store.queueCapacity(), store.maxBatch());
        writer.observer(metrics::batch);
        // A closed or unreachable database: the process is broken (ops.ProcessGuard ends it).
        writer.onDatabaseLost(() -> AvailabilityChangeEvent.publish(events, "database writer", LivenessState.BROKEN));
        Gauge.builder("chat.store.queue", writer, GroupCommitWriter::queued)
                .description("operations waiting for the database writer")
                .register(metrics.registry());
        return writer;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
