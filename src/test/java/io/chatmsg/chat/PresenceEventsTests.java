package io.chatmsg.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JOIN/LEAVE fan-out on a hand-run event loop: bounded whatever the churn, and in order. */
class PresenceEventsTests {

    /** An event loop whose tasks run only when the test says so. */
    static final class Loop implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    /** A connection that records what it is sent, in order. */
    static final class Recorder implements Connection {
        final Loop loop;
        final List<String> lines = new ArrayList<>();
        boolean keepingUp = true;

        Recorder(Loop loop) {
            this.loop = loop;
        }

        @Override
        public LiveSession session() {
            return null;
        }

        @Override
        public void send(OutboundLine event) {
            loop.execute(() -> sendInLoop(event));
        }

        @Override
        public void sendInLoop(OutboundLine event) {
            lines.add(event.toString().strip());
        }

        @Override
        public boolean keepingUp() {
            return keepingUp;
        }

        @Override
        public Executor executor() {
            return loop;
        }
    }

    private final PresenceEvents presence = new PresenceEvents();
    private final Loop loop = new Loop();

    private ChatClient client(String id) {
        ChatClient c = new ChatClient(new Recorder(loop));
        c.key = id.toLowerCase(java.util.Locale.ROOT);
        c.displayId = id;
        return c;
    }

    private ChatClient online(String id) {
        ChatClient c = client(id);
        presence.joined(c);
        loop.runAll();
        return c;
    }

    private static List<String> seen(ChatClient c) {
        return ((Recorder) c.connection).lines;
    }

    @Test
    void aJoinAndALeaveReachEveryOtherClientOnce() {
        ChatClient bob = online("bob");
        ChatClient alice = online("alice");
        presence.left(alice);
        loop.runAll();

        assertThat(seen(bob)).containsExactly("JOIN alice", "LEAVE alice");
        assertThat(seen(alice)).isEmpty();
    }

    @Test
    void aThousandLoginLogoffCyclesCostOneQueuedBatchAndDeliverNothing() {
        ChatClient bob = online("bob");
        for (int i = 0; i < 1000; i++) {
            ChatClient z = client("z" + i);
            presence.joined(z);
            presence.left(z);
        }

        assertThat(presence.queuedBatches()).isEqualTo(1);
        assertThat(loop.tasks).hasSize(1);
        loop.runAll();
        assertThat(seen(bob)).isEmpty();
    }

    @Test
    void theSameIdChurningEndsInItsFinalState() {
        ChatClient bob = online("bob");
        ChatClient z = client("z");
        for (int i = 0; i < 501; i++) {
            if (i % 2 == 0) {
                presence.joined(z);
            } else {
                presence.left(z);
            }
        }
        loop.runAll();

        assertThat(seen(bob)).containsExactly("JOIN z");
    }

    @Test
    void aLeaveNeverOvertakesAMessageItsSubjectSentBefore() {
        ChatClient bob = online("bob");
        ChatClient alice = online("alice");
        seen(bob).clear();
        // Another client's change queues a batch first...
        presence.joined(client("carol"));
        // ...then alice's message to bob is queued, then alice leaves.
        bob.connection.send(OutboundLine.message("alice", "bob", "bye"));
        presence.sent(alice);
        presence.left(alice);
        loop.runAll();

        assertThat(seen(bob)).containsExactly("JOIN carol", "MSG alice bob bye", "LEAVE alice");
    }

    @Test
    void queuedBatchesPerLoopAreBoundedUnderChurnWithMessages() {
        online("bob");
        for (int i = 0; i < 10_000; i++) {
            ChatClient z = client("z" + i);
            presence.joined(z);
            presence.sent(z);
            presence.left(z);
        }

        assertThat(presence.queuedBatches()).isLessThanOrEqualTo(PresenceEvents.MAX_BATCHES);
        assertThat(loop.tasks).hasSizeLessThanOrEqualTo(PresenceEvents.MAX_BATCHES);
    }

    @Test
    void aClientThatIsNotReadingIsSkippedAndCounted() {
        ChatClient bob = online("bob");
        ((Recorder) bob.connection).keepingUp = false;
        online("alice");

        assertThat(seen(bob)).isEmpty();
        assertThat(presence.skipped()).isEqualTo(1);
    }

    @Test
    void aClientGetsNothingThatHappenedBeforeItsLogin() {
        ChatClient alice = client("alice");
        presence.joined(alice); // not delivered yet
        ChatClient bob = client("bob");
        presence.joined(bob);
        loop.runAll();

        assertThat(seen(bob)).isEmpty();
        assertThat(seen(alice)).containsExactly("JOIN bob");
    }

    @Test
    void aClientThatLoggedInBetweenTwoChangesOfAnIdGetsItsFinalState() {
        ChatClient z = client("z");
        presence.joined(z);
        ChatClient bob = client("bob");
        presence.joined(bob); // bob logs in while z is online (WHO would list z)
        presence.left(z);
        loop.runAll();

        assertThat(seen(bob)).containsExactly("LEAVE z");
    }
}
