package io.chatmsg.store;

import javax.sql.DataSource;

import io.chatmsg.config.ChatMetrics;
import io.micrometer.core.instrument.Gauge;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The group-commit writer ({@code chat.store.*}), its meters and its report of a lost database. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    /** reWriteBatchedInserts and jit=off on PostgreSQL pools, before they open a connection. */
    @Bean
    static PostgresqlPool postgresqlPool() {
        return new PostgresqlPool();
    }

    /** H2 or PostgreSQL, from the data source's URL. */
    @Bean
    Vendor vendor(DataSource dataSource) {
        return Vendor.of(dataSource);
    }

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
}
