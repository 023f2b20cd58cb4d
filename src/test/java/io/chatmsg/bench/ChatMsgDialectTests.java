package io.chatmsg.bench;

import org.junit.jupiter.api.Test;

import static io.chatmsg.bench.RecordingEvents.connection;
import static io.chatmsg.bench.RecordingEvents.read;
import static io.chatmsg.bench.RecordingEvents.written;
import static org.assertj.core.api.Assertions.assertThat;

/** What the generator sends in CHAT-MSG/1 and what it makes of the gateway's lines (docs/protocol.md). */
class ChatMsgDialectTests {

    private final Dialect dm = new ChatMsgDialect(false);
    private final Dialect fanout = new ChatMsgDialect(true);
    private final Connection alice = connection(3, "b1x3");

    @Test
    void logsInAndAddressesMessagesByIdOrToAll() {
        Connection bob = connection(4, "b1x4");

        dm.login(alice);
        dm.startMessage(alice, bob);
        alice.put("text");
        dm.endLine(alice);
        fanout.startMessage(alice, null);
        alice.put("more");
        fanout.endLine(alice);

        assertThat(written(alice)).isEqualTo("LOGIN b1x3\nMSG b1x4 text\nMSG ALL more\n");
        assertThat(dm.acknowledges()).isTrue();
    }

    @Test
    void theLoginReplyLogsTheClientIn() {
        assertThat(read(dm, alice, "200 LOGIN b1x3")).containsExactly("loggedIn 3");
    }

    @Test
    void aDirectMessageIsAcknowledgedForOneRecipientWhetherDeliveredOrStored() {
        assertThat(read(dm, alice, "200 MSG 17")).containsExactly("acknowledged 3 for 1 at 7");
        assertThat(read(dm, alice, "202 MSG 18")).containsExactly("acknowledged 3 for 1 at 7");
    }

    @Test
    void aBroadcastIsAcknowledgedForTheRecipientsTheGatewayCounted() {
        assertThat(read(fanout, alice, "200 MSG 17 999")).containsExactly("acknowledged 3 for 999 at 7");
        assertThat(read(fanout, alice, "200 MSG 18 0")).containsExactly("acknowledged 3 for 0 at 7");
        assertThat(read(fanout, alice, "200 MSG 19")).containsExactly("acknowledged 3 for 0 at 7");
    }

    @Test
    void aDeliveredMessageHandsOverItsTextAfterSenderAndRecipient() {
        assertThat(read(dm, alice, "MSG b1x4 b1x3 12.345.4.xxxx"))
                .containsExactly("delivered to 3 at 7: 12.345.4.xxxx");
        assertThat(read(fanout, alice, "MSG b1x4 ALL 12.345.4.x y z"))
                .containsExactly("delivered to 3 at 7: 12.345.4.x y z");
    }

    @Test
    void anErrorBeforeLoginIsFatalAndAfterItRefusesTheOldestMessage() {
        assertThat(read(dm, alice, "409 b1x3 is logged in elsewhere"))
                .containsExactly("error", "fatal client 3 could not log in: 409 b1x3 is logged in elsewhere");

        alice.loggedIn = true;

        assertThat(read(dm, alice, "503 busy")).containsExactly("error", "refused 3");
    }

    @Test
    void pingIsAnsweredWithTheSameToken() {
        assertThat(read(dm, alice, "PING 42abc")).containsExactly("wrote 3");
        assertThat(written(alice)).isEqualTo("PONG 42abc\n");
    }

    @Test
    void otherLinesAreIgnored() {
        assertThat(read(dm, alice, "JOIN b1x9")).isEmpty();
        assertThat(read(dm, alice, "201 WHO")).isEmpty();
        assertThat(read(dm, alice, "20")).isEmpty();
        assertThat(read(dm, alice, "")).isEmpty();
        assertThat(written(alice)).isEmpty();
    }
}
