package io.chatmsg.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import io.chatmsg.account.Bans;
import io.chatmsg.account.UserDirectory;
import io.chatmsg.chat.ClusterEvents;
import io.chatmsg.chat.ClusterPresence;
import io.chatmsg.config.ClusterProperties;
import io.chatmsg.gateway.ChatGateway;
import io.chatmsg.session.SessionRecorder;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode ({@code chat.cluster.enabled=true}): the Redis side of the chat
 * core's {@link io.chatmsg.chat.ClusterBus}, the streams' reader, the heartbeat and
 * the control stream. The chat core's own cluster beans ({@link ClusterPresence},
 * its router and {@link ClusterEvents}) are chosen by the same property.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chat.cluster.enabled", havingValue = "true")
class ClusterConfiguration {

    /** Commands fail at once while Redis is away (no queue building up), and never wait long. */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileRedisIsAway() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)));
    }

    @Bean
    ClusterKeys clusterKeys(ClusterProperties properties) {
        return new ClusterKeys(properties.keyPrefix());
    }

    @Bean
    RemoteSessions remoteSessions(SessionRecorder sessions) {
        RemoteSessions remote = new RemoteSessions();
        sessions.elsewhere(remote);
        return remote;
    }

    @Bean
    ClusterControl clusterControl(RedisBus bus, SessionRecorder sessions, Bans bans, UserDirectory users) {
        return new ClusterControl(bus, sessions, bans, users);
    }

    @Bean
    NodeRegistry nodeRegistry(
            RedisBus bus,
            ClusterProperties properties,
            SessionRecorder sessions,
            ClusterPresence presence,
            ClusterEvents events,
            RemoteSessions remote,
            JsonMapper json,
            Clock clock,
            ObjectProvider<ChatGateway> gateway) {
        return new NodeRegistry(
                bus, properties, sessions, presence, events, remote, json, clock, () -> gateway.getObject()
                        .port());
    }

    @Bean
    ClusterNode clusterNode(
            RedisBus bus,
            NodeRegistry registry,
            ClusterEvents events,
            ClusterControl control,
            ClusterProperties properties,
            TaskScheduler scheduler) {
        return new ClusterNode(bus, registry, events, control, properties, scheduler);
    }

    /**
     * Joins the cluster before the gateway takes clients and leaves it after the gateway
     * has said goodbye to them: reads the streams, beats every {@code heartbeat}.
     */
    static final class ClusterNode implements SmartLifecycle {

        private final NodeRegistry registry;
        private final ClusterProperties properties;
        private final TaskScheduler scheduler;
        private final StreamReader reader;
        private volatile ScheduledFuture<?> beating;

        ClusterNode(
                RedisBus bus,
                NodeRegistry registry,
                ClusterEvents events,
                ClusterControl control,
                ClusterProperties properties,
                TaskScheduler scheduler) {
            this.registry = registry;
            this.properties = properties;
            this.scheduler = scheduler;
            ClusterKeys keys = bus.keys();
            this.reader = new StreamReader(
                    bus,
                    List.of(keys.inbox(bus.nodeId()), keys.all(), keys.control()),
                    List.of(events::fromInbox, events::fromAll, control::handle),
                    registry::tick);
        }

        @Override
        public void start() {
            reader.start("cluster-streams");
            registry.register();
            beating = scheduler.scheduleAtFixedRate(registry::tick, properties.heartbeat());
        }

        @Override
        public void stop() {
            ScheduledFuture<?> b = beating;
            if (b != null) {
                b.cancel(false);
            }
            beating = null;
            registry.deregister();
            reader.stop();
        }

        @Override
        public boolean isRunning() {
            return beating != null;
        }

        /** Starts before the gateway ({@code DEFAULT_PHASE - 512}) and stops after it. */
        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 1024;
        }
    }
}
