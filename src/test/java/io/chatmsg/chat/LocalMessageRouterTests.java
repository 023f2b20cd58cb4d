package io.chatmsg.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.chatmsg.protocol.OutboundLine;
import io.chatmsg.session.LiveSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A broadcast's fan-out: one task per event loop for all its recipients, the line encoded once. */
class LocalMessageRouterTests {

    /** An event loop whose tasks run only when the test says so. */
    private static final class Loop implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }
    }

    /** A connection that keeps the very lines it is sent, in order. */
    private static final class Recorder implements Connection {
        final Loop loop;
        final List<OutboundLine> written = new ArrayList<>();

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
            written.add(event);
        }

        @Override
        public Executor executor() {
            return loop;
        }
    }

    private static ChatClient on(Loop loop) {
        return new ChatClient(new Recorder(loop));
    }

    private static List<OutboundLine> written(ChatClient c) {
        return ((Recorder) c.connection).written;
    }

    @Test
    void eachEventLoopGetsOneTaskForAllOfItsRecipients() {
        Loop a = new Loop();
        Loop b = new Loop();
        Loop c = new Loop();
        ChatClient sender = on(a);
        List<ChatClient> clients = List.of(on(a), sender, on(b), on(a), on(c), on(b), on(a));
        OutboundLine line = OutboundLine.message("alice", "ALL", "hi");

        int n = LocalMessageRouter.tellOthers(clients, sender, line);

        assertThat(n).isEqualTo(6);
        assertThat(a.tasks).hasSize(1);
        assertThat(b.tasks).hasSize(1);
        assertThat(c.tasks).hasSize(1);
        for (ChatClient r : clients) {
            assertThat(written(r))
                    .as("nothing is written before the loop runs its task")
                    .isEmpty();
        }
        a.runAll();
        b.runAll();
        c.runAll();
        for (ChatClient r : clients) {
            if (r == sender) {
                assertThat(written(r)).isEmpty();
            } else {
                assertThat(written(r)).containsExactly(line);
            }
        }
    }

    @Test
    void aLineForManyIsMarkedSharedAndForOneIsNot() {
        Loop loop = new Loop();
        ChatClient sender = on(loop);
        OutboundLine toMany = OutboundLine.message("alice", "ALL", "many");
        OutboundLine toOne = OutboundLine.message("alice", "ALL", "one");

        LocalMessageRouter.tellOthers(List.of(sender, on(loop), on(loop)), sender, toMany);
        LocalMessageRouter.tellOthers(List.of(sender, on(loop)), sender, toOne);

        assertThat(toMany.isShared()).isTrue();
        assertThat(toOne.isShared()).isFalse();
    }

    @Test
    void aSenderAloneReachesNobodyAndQueuesNoTask() {
        Loop loop = new Loop();
        ChatClient sender = on(loop);

        int n = LocalMessageRouter.tellOthers(List.of(sender), sender, OutboundLine.message("alice", "ALL", "x"));

        assertThat(n).isZero();
        assertThat(loop.tasks).isEmpty();
    }

    @Test
    void oneSendersBroadcastsReachEachClientInTheOrderSent() {
        Loop loop = new Loop();
        ChatClient sender = on(loop);
        ChatClient bob = on(loop);
        OutboundLine first = OutboundLine.message("alice", "bob", "direct");
        OutboundLine second = OutboundLine.message("alice", "ALL", "broadcast");
        OutboundLine third = OutboundLine.message("alice", "bob", "direct again");

        bob.connection.send(first);
        LocalMessageRouter.tellOthers(List.of(sender, bob), sender, second);
        bob.connection.send(third);
        loop.runAll();

        assertThat(written(bob)).containsExactly(first, second, third);
    }
}
