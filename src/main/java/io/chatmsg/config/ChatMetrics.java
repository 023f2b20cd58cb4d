package io.chatmsg.config;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * The gateway's own meters (Prometheus at {@code /actuator/prometheus}). Meters
 * are created once and kept, so the hot path only increments.
 */
@Component
public class ChatMetrics {

    private final MeterRegistry registry;
    private final Counter logins;
    private final Counter direct;
    private final Counter broadcast;
    private final Counter queued;
    private final Counter delivered;
    private final Timer ackLatency;
    private final DistributionSummary batchSize;
    private final Timer commit;
    private final ConcurrentHashMap<String, Counter> refusals = new ConcurrentHashMap<>();

    public ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.logins =
                Counter.builder("chat.logins").description("successful LOGINs").register(registry);
        this.direct = Counter.builder("chat.messages.received")
                .tag("kind", "direct")
                .description("MSG commands accepted from clients")
                .register(registry);
        this.broadcast = Counter.builder("chat.messages.received")
                .tag("kind", "broadcast")
                .description("MSG commands accepted from clients")
                .register(registry);
        this.queued = Counter.builder("chat.messages.queued")
                .description("messages stored for an offline recipient")
                .register(registry);
        this.delivered = Counter.builder("chat.messages.delivered")
                .description("MSG events written to clients (one per recipient)")
                .register(registry);
        this.ackLatency = Timer.builder("chat.ack.latency")
                .description("from a MSG command read to its 200/202 written (includes the durable commit)")
                .publishPercentileHistogram()
                .register(registry);
        this.batchSize = DistributionSummary.builder("chat.store.batch.size")
                .description("operations committed together by the group-commit writer")
                .publishPercentileHistogram()
                .register(registry);
        this.commit = Timer.builder("chat.store.commit")
                .description("time to execute and commit one batch")
                .publishPercentileHistogram()
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void login() {
        logins.increment();
    }

    public void received(boolean isBroadcast) {
        (isBroadcast ? broadcast : direct).increment();
    }

    public void queued() {
        queued.increment();
    }

    public void delivered(int n) {
        delivered.increment(n);
    }

    /** A refused command (its reply code) or a closed connection (its BYE reason). */
    public void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("chat.refusals")
                        .tag("reason", r)
                        .description("commands refused by reply code, and connections closed by BYE reason")
                        .register(registry))
                .increment();
    }

    public void acknowledged(long nanos) {
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void batch(int size, long nanos) {
        batchSize.record(size);
        commit.record(nanos, TimeUnit.NANOSECONDS);
    }
}
