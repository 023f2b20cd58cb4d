package io.chatmsg.config;

import io.chatmsg.session.SessionRecorder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Configuration;

/** Gauges read from live state when Prometheus scrapes (nothing on the hot path). */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration implements InitializingBean {

    private static final String[] TRANSPORTS = {"tcp", "tls", "udp"};

    private final MeterRegistry registry;
    private final SessionRecorder sessions;

    MetricsConfiguration(MeterRegistry registry, SessionRecorder sessions) {
        this.registry = registry;
        this.sessions = sessions;
    }

    @Override
    public void afterPropertiesSet() {
        for (String transport : TRANSPORTS) {
            Gauge.builder("chat.connections", sessions, s -> s.live().stream()
                            .filter(l -> transport.equals(l.transport()))
                            .count())
                    .tag("transport", transport)
                    .description("open connections")
                    .register(registry);
        }
        Gauge.builder("chat.clients.logged.in", sessions, s -> s.live().stream()
                        .filter(l -> l.clientId() != null)
                        .count())
                .description("connections logged in (or that were)")
                .register(registry);
    }
}
