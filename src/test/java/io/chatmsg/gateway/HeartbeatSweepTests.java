package io.chatmsg.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.session.LiveSession;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One timer per event loop serves its connections' heartbeats: idle PINGs, probes, and the ping deadline. */
class HeartbeatSweepTests {

    /** A connection as the heartbeat sees it: the lines it was asked to write, and whether it timed out. */
    private static final class FakeLink implements Heartbeat.Link {
        final List<String> lines = new ArrayList<>();
        boolean timedOut;
        boolean closed;
        final LiveSession session = TestSettings.session();

        @Override
        public boolean writeLine(String line) {
            lines.add(line);
            return true;
        }

        @Override
        public void timedOut() {
            timedOut = true;
        }

        @Override
        public boolean closingOrClosed() {
            return closed || timedOut;
        }

        @Override
        public boolean readingPaused() {
            return false;
        }

        @Override
        public LiveSession session() {
            return session;
        }
    }

    private static GatewaySettings settings(Duration idle, Duration ping, Duration probes) {
        GatewaySettings d = TestSettings.with(Duration.ofSeconds(30), Duration.ofSeconds(5));
        return new GatewaySettings(
                d.serverName(),
                d.maxLineLength(),
                idle,
                ping,
                d.maxPendingReplies(),
                d.commandBurst(),
                d.commandRate(),
                d.floodThreshold(),
                d.lineDeadline(),
                d.loginDeadline(),
                d.slowConsumerBacklog(),
                d.slowConsumerGrace(),
                probes,
                d.inactiveAfter());
    }

    private static EmbeddedChannel frozenLoop() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        return ch;
    }

    @Test
    void manyConnectionsShareOneTimerThatIdlePingsEachAndEndsTheSilentOnes() {
        EmbeddedChannel ch = frozenLoop();
        HeartbeatSweep sweep = new HeartbeatSweep(
                ch.eventLoop(), settings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ZERO));
        assertThat(sweep.tickNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        FakeLink quiet = new FakeLink();
        FakeLink talker = new FakeLink();
        Heartbeat q = new Heartbeat(quiet);
        Heartbeat t = new Heartbeat(talker);
        q.start(sweep);
        t.start(sweep);
        assertThat(sweep.size()).isEqualTo(2);
        assertThat(sweep.ticking()).isTrue();

        for (int s = 1; s <= 59; s++) {
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            if (s == 30) {
                t.read(); // the talker's idle period starts again
            }
        }
        assertThat(quiet.lines).isEmpty();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(quiet.lines).singleElement().asString().startsWith("PING ");
        assertThat(talker.lines).as("read 31 s ago: not idle").isEmpty();

        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(talker.lines).singleElement().asString().startsWith("PING ");
        t.alive(); // the talker answers; the quiet one does not
        assertThat(quiet.timedOut).isFalse();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(quiet.timedOut).as("no line within the ping timeout").isTrue();
        assertThat(talker.timedOut).isFalse();

        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sweep.size()).as("a closing connection leaves the list").isEqualTo(1);
        t.stop();
        assertThat(sweep.size()).isZero();
        assertThat(sweep.ticking()).as("no connections: no timer").isFalse();
        t.stop(); // twice: nothing to remove
        ch.finishAndReleaseAll();
    }

    @Test
    void probesGoOutEveryIntervalAndAnAnswerIsTimed() {
        EmbeddedChannel ch = frozenLoop();
        HeartbeatSweep sweep = new HeartbeatSweep(
                ch.eventLoop(), settings(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(2)));
        assertThat(sweep.tickNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(125));
        FakeLink link = new FakeLink();
        Heartbeat h = new Heartbeat(link);
        h.start(sweep);

        ch.advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(link.lines).isEmpty();
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(link.lines).hasSize(1);
        String token = link.lines.get(0).substring("PING ".length()).strip();
        h.pong("not-the-token");
        assertThat(link.session.rttMillis()).isNull();
        h.pong(token);
        assertThat(link.session.rttMillis()).isNotNull();

        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(link.lines).hasSize(2);
        assertThat(link.lines.get(1)).isNotEqualTo(link.lines.get(0));
        assertThat(link.timedOut).as("a probe has no deadline of its own").isFalse();
        h.stop();
        ch.finishAndReleaseAll();
    }

    @Test
    void neitherIdleWatchNorProbesMeansNoTimer() {
        EmbeddedChannel ch = frozenLoop();
        HeartbeatSweep sweep =
                new HeartbeatSweep(ch.eventLoop(), settings(Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO));
        new Heartbeat(new FakeLink()).start(sweep);
        assertThat(sweep.size()).isZero();
        assertThat(sweep.ticking()).isFalse();
        ch.finishAndReleaseAll();
    }
}
