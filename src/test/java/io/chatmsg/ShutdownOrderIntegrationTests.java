package io.chatmsg;

import java.util.List;
import java.util.Map;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.store.GroupCommitWriter;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/** The pools are beans, and the application stops in order: gateway, pools, file database, writer. */
class ShutdownOrderIntegrationTests extends GatewayIntegrationTest {

    @Autowired
    Map<String, BoundedPool> pools;

    @Autowired
    GroupCommitWriter writer;

    @Autowired
    @Qualifier("applicationTaskExecutor")
    TaskExecutor springsOwn;

    @Test
    void thePoolsStopAfterTheGatewayTheFileDatabaseAfterThemAndTheWriterLast() {
        assertThat(pools)
                .containsOnlyKeys("passwordPool", "fileIoPool", "fileDbPool", "alertMailPool", "latencyWatchPool");
        assertThat(pools.values()).allMatch(BoundedPool::isRunning);

        for (String afterTheGateway : List.of("passwordPool", "fileIoPool", "alertMailPool", "latencyWatchPool")) {
            assertThat(pools.get(afterTheGateway).getPhase())
                    .as(afterTheGateway)
                    .isLessThan(gateway.getPhase())
                    .isGreaterThan(pools.get("fileDbPool").getPhase());
        }
        assertThat(pools.get("fileDbPool").getPhase()).isGreaterThan(writer.getPhase());
    }

    @Test
    void springsApplicationTaskExecutorStaysBesideThePools() {
        assertThat(springsOwn).isNotInstanceOf(BoundedPool.class);
    }
}
