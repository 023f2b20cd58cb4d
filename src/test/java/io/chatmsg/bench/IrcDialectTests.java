package io.chatmsg.bench;

import org.junit.jupiter.api.Test;

import static io.chatmsg.bench.RecordingEvents.connection;
import static io.chatmsg.bench.RecordingEvents.read;
import static io.chatmsg.bench.RecordingEvents.written;
import static org.assertj.core.api.Assertions.assertThat;

/** What the generator sends to an IRC server and what it makes of the server's lines. */
class IrcDialectTests {

    private final Dialect dm = new IrcDialect(false);
    private final Dialect fanout = new IrcDialect(true);
    private final Connection alice = connection(3, "b1x3");

    @Test
    void registersAndSendsPrivmsgToANickOrTheChannel() {
        Connection bob = connection(4, "b1x4");

        dm.login(alice);
        dm.startMessage(alice, bob);
        alice.put("text");
        dm.endLine(alice);
        fanout.startMessage(alice, null);
        alice.put("more");
        fanout.endLine(alice);

        assertThat(written(alice))
                .isEqualTo("NICK b1x3\r\nUSER b1x3 0 * :bench\r\nPRIVMSG b1x4 :text\r\nPRIVMSG #bench :more\r\n");
        assertThat(dm.acknowledges()).isFalse();
    }

    @Test
    void welcomeLogsInForDirectMessages() {
        assertThat(read(dm, alice, ":irc.local 001 b1x3 :Welcome")).containsExactly("loggedIn 3");
        assertThat(written(alice)).isEmpty();
    }

    @Test
    void forFanOutWelcomeJoinsTheChannelAndTheEndOfNamesLogsIn() {
        assertThat(read(fanout, alice, ":irc.local 001 b1x3 :Welcome")).containsExactly("wrote 3");
        assertThat(written(alice)).isEqualTo("JOIN #bench\r\n");
        assertThat(read(fanout, alice, ":irc.local 366 b1x3 #bench :End of /NAMES list."))
                .containsExactly("loggedIn 3");
    }

    @Test
    void aPrivmsgHandsOverItsTextWithOrWithoutTheColon() {
        assertThat(read(dm, alice, ":b1x4!b1x4@localhost PRIVMSG b1x3 :12.345.4.xx yy"))
                .containsExactly("delivered to 3 at 7: 12.345.4.xx yy");
        assertThat(read(fanout, alice, ":b1x4!b1x4@localhost PRIVMSG #bench 12.345.4.xx"))
                .containsExactly("delivered to 3 at 7: 12.345.4.xx");
    }

    @Test
    void aRefusedNickIsFatal() {
        assertThat(read(dm, alice, ":irc.local 433 * b1x3 :Nickname is already in use"))
                .containsExactly("error", "fatal client 3 refused: :irc.local 433 * b1x3 :Nickname is already in use");
        assertThat(read(dm, alice, ":irc.local 432 * b1x3 :Erroneous"))
                .contains("error")
                .hasSize(2);
        assertThat(read(dm, alice, ":irc.local 465 b1x3 :banned"))
                .contains("error")
                .hasSize(2);
    }

    @Test
    void otherErrorNumericsAndErrorAreCountedOnly() {
        assertThat(read(dm, alice, ":irc.local 401 b1x3 nobody :No such nick")).containsExactly("error");
        assertThat(read(dm, alice, ":irc.local 502 b1x3 :no")).containsExactly("error");
        assertThat(read(dm, alice, "ERROR :Closing link")).containsExactly("error");
    }

    @Test
    void pingIsAnsweredWithTheSameToken() {
        assertThat(read(dm, alice, "PING :irc.local")).containsExactly("wrote 3");
        assertThat(written(alice)).isEqualTo("PONG :irc.local\r\n");
    }

    @Test
    void noticesAndOtherNumericsAreIgnored() {
        assertThat(read(dm, alice, ":irc.local NOTICE * :*** Looking up your hostname..."))
                .isEmpty();
        assertThat(read(dm, alice, ":irc.local 372 b1x3 :- motd")).isEmpty();
        assertThat(read(dm, alice, "")).isEmpty();
    }
}
