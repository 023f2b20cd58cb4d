package io.chatmsg.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.chatmsg.chat.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies in command order, driven by a plain queue of tasks standing in for the event loop. */
class ReplySequencerTests {

    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private final List<String> written = new ArrayList<>();
    private boolean canWrite = true;
    private ReplySequencer replies;

    ReplySequencerTests() {
        replies = new ReplySequencer(loop::add, new ReplySequencer.Writer() {
            @Override
            public boolean canWrite() {
                return canWrite;
            }

            @Override
            public void write(ReplySequencer.Owed owed) {
                written.add(
                        owed.reply().isCompletedExceptionally()
                                ? "failed"
                                : owed.reply().join().text());
            }

            @Override
            public void completed() {
                replies.writeReady();
            }
        });
    }

    @Test
    void aReadyReplyWithNothingBeforeItIsWrittenAtOnce() {
        replies.add(ReplySequencer.Owed.of(done("a")));

        assertThat(written).containsExactly(reply("a"));
        assertThat(replies.isEmpty()).isTrue();
        assertThat(loop).as("no task").isEmpty();
    }

    @Test
    void aReadyReplyWaitsForTheOneBeforeIt() {
        CompletableFuture<Response> first = new CompletableFuture<>();
        replies.add(ReplySequencer.Owed.of(first));
        replies.add(ReplySequencer.Owed.of(done("second")));
        runLoop();
        assertThat(written).isEmpty();
        assertThat(replies.size()).isEqualTo(2);

        first.complete(Response.reply(200, "first"));
        runLoop();

        assertThat(written).containsExactly(reply("first"), reply("second"));
        assertThat(replies.isEmpty()).isTrue();
    }

    @Test
    void repliesCompletedTogetherOnAnotherThreadAreWrittenByOneTask() throws Exception {
        List<CompletableFuture<Response>> owed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Response> f = new CompletableFuture<>();
            owed.add(f);
            replies.add(ReplySequencer.Owed.of(f));
        }
        Thread writer = new Thread(() -> {
            for (int i = 0; i < owed.size(); i++) {
                owed.get(i).complete(Response.reply(200, "r" + i));
            }
        });
        writer.start();
        writer.join();

        assertThat(loop).as("one wake-up for the whole batch").hasSize(1);
        runLoop();
        assertThat(written).containsExactly(reply("r0"), reply("r1"), reply("r2"), reply("r3"), reply("r4"));
    }

    @Test
    void aFailedReplyKeepsItsPlace() {
        CompletableFuture<Response> failed = new CompletableFuture<>();
        replies.add(ReplySequencer.Owed.of(failed));
        replies.add(ReplySequencer.Owed.of(done("after")));

        failed.completeExceptionally(new IllegalStateException("database gone"));
        runLoop();

        assertThat(written).containsExactly("failed", reply("after"));
    }

    @Test
    void nothingIsWrittenWhileTheWriterCannotWrite() {
        canWrite = false; // a GET's bytes are going out
        replies.add(ReplySequencer.Owed.of(done("a")));
        replies.add(ReplySequencer.Owed.of(done("b")));
        runLoop();
        replies.writeReady();
        assertThat(written).isEmpty();

        canWrite = true;
        replies.writeReady();
        assertThat(written).containsExactly(reply("a"), reply("b"));
    }

    @Test
    void historyRepliesAreCountedUntilWritten() {
        CompletableFuture<Response> history = new CompletableFuture<>();
        replies.add(new ReplySequencer.Owed(history, false, 0, true));
        assertThat(replies.historyOwed()).isEqualTo(1);

        history.complete(Response.reply(200, "HISTORY 0"));
        runLoop();
        assertThat(replies.historyOwed()).isZero();

        replies.add(new ReplySequencer.Owed(done("HISTORY 0"), false, 0, true));
        assertThat(replies.historyOwed()).as("written at once").isZero();
    }

    @Test
    void theLoginsReplyIsKnownToEndTheHoldOnEvents() {
        replies.add(new ReplySequencer.Owed(new CompletableFuture<>(), true, 0, false));
        assertThat(replies.endsHoldOwed()).isTrue();

        replies.clear();
        assertThat(replies.endsHoldOwed()).isFalse();
        assertThat(replies.isEmpty()).isTrue();
    }

    private void runLoop() {
        for (Runnable r; (r = loop.poll()) != null; ) {
            r.run();
        }
    }

    private static CompletableFuture<Response> done(String text) {
        return CompletableFuture.completedFuture(Response.reply(200, text));
    }

    private static String reply(String text) {
        return Response.reply(200, text).text();
    }
}
