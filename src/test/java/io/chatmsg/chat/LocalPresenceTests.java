package io.chatmsg.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The map of who is online: the 409 rule, and routing decisions atomic with an id's entry. */
class LocalPresenceTests {

    private final PresenceEventsTests.Loop loop = new PresenceEventsTests.Loop();
    private final LocalPresence presence = new LocalPresence(true);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private ChatClient client() {
        return new ChatClient(new PresenceEventsTests.Recorder(loop));
    }

    /** Enters and logs in as LOGIN does: the id set, then JOIN. */
    private ChatClient loggedIn(String id) {
        ChatClient c = client();
        String key = id.toLowerCase(java.util.Locale.ROOT);
        assertThat(presence.enter(key, c, () -> {})).isSameAs(c);
        c.key = key;
        c.displayId = id;
        presence.joined(c);
        return c;
    }

    @Test
    void ofManyConcurrentEntersOfOneIdExactlyOneGetsItAndTheOthersSeeIt() throws Exception {
        int n = 16;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger entries = new AtomicInteger();
        List<ChatClient> clients = new ArrayList<>();
        List<Future<ChatClient>> holders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChatClient c = client();
            clients.add(c);
            holders.add(threads.submit(() -> {
                start.await();
                return presence.enter("bob", c, entries::incrementAndGet);
            }));
        }

        start.countDown();

        ChatClient winner = holders.get(0).get(10, TimeUnit.SECONDS);
        int entered = 0;
        for (int i = 0; i < n; i++) {
            ChatClient holder = holders.get(i).get(10, TimeUnit.SECONDS);
            assertThat(holder).isSameAs(winner);
            if (holder == clients.get(i)) {
                entered++;
            }
        }
        assertThat(entered).isEqualTo(1);
        assertThat(entries).hasValue(1);
        assertThat(presence.onlineCount()).isEqualTo(1);
        assertThat(presence.holder("bob")).isSameAs(winner);
    }

    @Test
    void anEntryForAnIdWaitsForARoutingDecisionUnderWayForIt() throws Exception {
        CountDownLatch deciding = new CountDownLatch(1);
        CountDownLatch decide = new CountDownLatch(1);
        AtomicBoolean queued = new AtomicBoolean();
        Future<ChatClient> routedTo = threads.submit(() -> presence.withRecipient("bob", to -> {
            deciding.countDown();
            waitFor(decide);
            queued.set(to == null); // bob is offline: the sender queues its message
            return to;
        }));
        assertThat(deciding.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicReference<Thread> entering = new AtomicReference<>();
        AtomicBoolean sawQueued = new AtomicBoolean();
        ChatClient bob = client();
        Future<ChatClient> holder = threads.submit(() -> {
            entering.set(Thread.currentThread());
            return presence.enter("bob", bob, () -> sawQueued.set(queued.get()));
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> entering.get() != null && entering.get().getState() == Thread.State.BLOCKED);
        decide.countDown();

        assertThat(routedTo.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isSameAs(bob);
        assertThat(sawQueued)
                .as("the entry's offline claim runs after the message was queued")
                .isTrue();
    }

    @Test
    void aRecipientIsSeenOnlineFromItsEntryUntilItLeaves() {
        assertThat(presence.<ChatClient>withRecipient("bob", to -> to)).isNull();
        ChatClient bob = loggedIn("Bob");

        assertThat(presence.<ChatClient>withRecipient("bob", to -> to)).isSameAs(bob);
        assertThat(presence.isOnline("BOB")).isTrue();

        presence.left(bob);
        assertThat(presence.<ChatClient>withRecipient("bob", to -> to)).isNull();
        assertThat(presence.isOnline("bob")).isFalse();
        assertThat(presence.onlineCount()).isZero();
    }

    @Test
    void anEntryRefusedForAHeldIdRunsNothingAndAbandoningItLeavesTheHolderAlone() {
        ChatClient bob = loggedIn("bob");
        ChatClient other = client();
        AtomicBoolean ran = new AtomicBoolean();

        assertThat(presence.enter("bob", other, () -> ran.set(true))).isSameAs(bob);
        presence.abandon("bob", other);

        assertThat(ran).isFalse();
        assertThat(presence.holder("bob")).isSameAs(bob);
    }

    @Test
    void whoListsTheLoggedInDisplayIdsSortedByFoldedId() {
        loggedIn("carol");
        loggedIn("Bob");
        loggedIn("alice");
        presence.enter("dave", client(), () -> {}); // entered, its LOGIN not finished: no id yet

        assertThat(presence.displayIds()).containsExactly("alice", "Bob", "carol");
        assertThat(presence.onlineCount()).isEqualTo(4);
    }

    @Test
    void withPresenceEventsOffNoJoinOrLeaveIsQueued() {
        LocalPresence quiet = new LocalPresence(false);
        ChatClient bob = client();
        bob.key = "bob";
        bob.displayId = "bob";
        quiet.enter("bob", bob, () -> {});
        quiet.joined(bob);
        ChatClient alice = client();
        alice.key = "alice";
        alice.displayId = "alice";
        quiet.enter("alice", alice, () -> {});
        quiet.joined(alice);
        quiet.left(alice);

        assertThat(loop.tasks).isEmpty();
        assertThat(quiet.displayIds()).containsExactly("bob");
    }

    @Test
    void withPresenceEventsOnOthersGetJoinAndLeave() {
        ChatClient bob = loggedIn("bob");
        loop.runAll();
        ChatClient alice = loggedIn("alice");
        loop.runAll();
        presence.left(alice);
        loop.runAll();

        assertThat(((PresenceEventsTests.Recorder) bob.connection).lines).containsExactly("JOIN alice", "LEAVE alice");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
