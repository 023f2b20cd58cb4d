package io.chatmsg.gateway;

import io.chatmsg.config.ChatMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One loop's round: deliveries counted once, at the end of the round, by one task. */
class FlushRoundTests {

    @Test
    void deliveriesOfARoundAreCountedTogetherByOneTaskQueuedBehindTheOthers() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChatMetrics metrics = new ChatMetrics(registry);
        EmbeddedChannel ch = new EmbeddedChannel();
        int[] seen = {-1, -1};
        FlushRound round = FlushRound.of(ch.eventLoop());
        assertThat(FlushRound.of(ch.eventLoop())).isSameAs(round);

        // A task queued before the round's first delivery runs before the round's task...
        ch.eventLoop().execute(() -> seen[0] = (int) delivered(registry));
        round.delivered(metrics);
        round.delivered(metrics);
        // ...one queued after it, after: the round's one task counted all three.
        ch.eventLoop().execute(() -> seen[1] = (int) delivered(registry));
        round.delivered(metrics);
        assertThat(delivered(registry)).isZero();

        ch.runPendingTasks();
        assertThat(seen).containsExactly(0, 3);
        assertThat(delivered(registry)).isEqualTo(3);

        // The next round queues its own task.
        round.delivered(metrics);
        ch.runPendingTasks();
        assertThat(delivered(registry)).isEqualTo(4);
        ch.finishAndReleaseAll();
    }

    private static double delivered(SimpleMeterRegistry registry) {
        return registry.get("chat.messages.delivered").counter().count();
    }
}
