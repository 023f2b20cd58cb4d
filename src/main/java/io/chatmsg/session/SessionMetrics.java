package io.chatmsg.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/** The connection gauges, read from the live sessions when Prometheus scrapes (nothing on the hot path). */
@Component
class SessionMetrics implements InitializingBean {

    private static final String[] TRANSPORTS = {"tcp", "tls", "udp"};

    private final MeterRegistry registry;
    private final SessionRecorder sessions;

    SessionMetrics(MeterRegistry registry, SessionRecorder sessions) {
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
