package io.chatmsg.cluster;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code cluster} in {@code /actuator/health}: DOWN while this node cannot reach
 * Redis (its clients still talk among themselves; messages to other nodes wait in
 * the database). Not part of readiness: when Redis is away for every node, taking
 * them all out of the balancer would only make it worse.
 */
@Component("cluster")
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
class ClusterHealth implements HealthIndicator {

    private final NodeRegistry registry;

    ClusterHealth(NodeRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Health.Builder b = registry.redisAway() ? Health.down() : Health.up();
        return b.withDetail("nodes", registry.nodes().size())
                .withDetail("lastHeartbeat", String.valueOf(registry.lastHeartbeat()))
                .build();
    }
}
