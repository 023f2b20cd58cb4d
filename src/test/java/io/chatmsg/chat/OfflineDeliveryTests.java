package io.chatmsg.chat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.history.StoredMessage;
import io.chatmsg.protocol.Lines;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What waited for a client rides on its LOGIN reply: the reply first, then the messages oldest first. */
class OfflineDeliveryTests {

    private static final Response LOGIN = new Response(Lines.reply(200, "LOGIN Bob"), 1, 0, false);
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static StoredMessage message(long id, String from, String to, String text) {
        return new StoredMessage(id, T.plusSeconds(id), from, to, text);
    }

    @Test
    void queuedMessagesFollowTheReplyOldestFirstAddressedToTheDisplayId() {
        List<StoredMessage> queued = List.of(message(1, "alice", "bob", "first"), message(2, "carol", "bob", "second"));

        Response r = OfflineDelivery.deliver(
                        LOGIN, "Bob", new OfflineDelivery.Claim(CompletableFuture.completedFuture(queued), null))
                .join();

        assertThat(r.text()).isEqualTo("200 LOGIN Bob\r\nMSG alice Bob first\r\nMSG carol Bob second\r\n");
        assertThat(r.lines()).isEqualTo(3);
        assertThat(r.messages()).isEqualTo(2);
        assertThat(r.close()).isFalse();
    }

    @Test
    void anOperatorBroadcastKeptForAnOfflineClientStillSaysAll() {
        List<StoredMessage> queued = List.of(message(1, "SERVER", "ALL", "maintenance at noon"));

        Response r = OfflineDelivery.deliver(
                        LOGIN, "Bob", new OfflineDelivery.Claim(CompletableFuture.completedFuture(queued), null))
                .join();

        assertThat(r.text()).endsWith("MSG SERVER ALL maintenance at noon\r\n");
    }

    @Test
    void withNothingClaimedTheReplyGoesAloneAtOnce() {
        assertThat(OfflineDelivery.deliver(LOGIN, "Bob", null).join()).isSameAs(LOGIN);
        assertThat(OfflineDelivery.deliver(LOGIN, "Bob", new OfflineDelivery.Claim(null, null))
                        .join())
                .isSameAs(LOGIN);
    }

    @Test
    void theReplyWaitsForTheFetchOfWhatWaited() {
        CompletableFuture<List<StoredMessage>> fetch = new CompletableFuture<>();

        CompletableFuture<Response> r = OfflineDelivery.deliver(LOGIN, "Bob", new OfflineDelivery.Claim(fetch, null));

        assertThat(r).isNotDone();
        fetch.complete(List.of(message(7, "alice", "bob", "late")));
        assertThat(r.join().text()).isEqualTo("200 LOGIN Bob\r\nMSG alice Bob late\r\n");
    }

    @Test
    void aFailedFetchLeavesTheReplyAlone() {
        Response r = OfflineDelivery.deliver(
                        LOGIN,
                        "Bob",
                        new OfflineDelivery.Claim(
                                CompletableFuture.failedFuture(new IllegalStateException("database gone")),
                                CompletableFuture.failedFuture(new IllegalStateException("database gone"))))
                .join();

        assertThat(r.text()).isEqualTo("200 LOGIN Bob\r\n");
        assertThat(r.lines()).isEqualTo(1);
        assertThat(r.messages()).isZero();
    }
}
