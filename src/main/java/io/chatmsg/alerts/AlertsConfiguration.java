package io.chatmsg.alerts;

import java.time.Duration;

import io.chatmsg.config.BoundedPool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two threads of alerts, one each by design: mails go out one at a time,
 * oldest first, and probes one at a time. Neither waits at stop: mails still owed
 * are tried again at the next start, and a stopped gateway is not probed.
 */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

    /** Each alert hands its mail over once; at most {@link Alerts#MAX_OWED} are kept waiting. */
    @Bean
    BoundedPool alertMailPool() {
        return new BoundedPool("alert-mail", 1, Alerts.MAX_OWED, Duration.ZERO, BoundedPool.AFTER_GATEWAY);
    }

    /** The two checks each wait for their turn at most once (the next is set after one has run). */
    @Bean
    BoundedPool latencyWatchPool() {
        return new BoundedPool("latency-watch", 1, 2, Duration.ZERO, BoundedPool.AFTER_GATEWAY);
    }
}
