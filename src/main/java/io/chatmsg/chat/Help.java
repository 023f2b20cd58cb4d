package io.chatmsg.chat;

import io.chatmsg.protocol.Lines;
import io.chatmsg.protocol.ReplyCodes;

/** The text of {@code HELP}: a line for every command of docs/protocol.md's command table. */
final class Help {

    private static final String[] LINES = {
        "LOGIN <id> [<password>]     log in as <id> (1-32 of A-Z a-z 0-9 _ . -)",
        "REGISTER <id> <password>    protect <id> with a password (8-128 characters, no spaces)",
        "LOGOFF <id>                 log off; the connection stays open",
        "MSG <id> <text>             send <text> to <id> (stored if <id> is offline)",
        "MSG ALL <text>              send <text> to everyone logged in",
        "WHO                         list who is logged in",
        "HISTORY <id|ALL> [<n>]      last <n> (default 20, at most 500) messages with <id>, or broadcasts",
        "PUT <id|ALL> <size> <name>  send a file: exactly <size> raw bytes follow this line",
        "GET <file-id>               fetch a file sent to you: 200 GET <id> <size> <name>, then the bytes",
        "PING [<token>]              answered with 200 PONG [<token>]",
        "PONG <token>                answer to the server's PING",
        "VERIFY <cookie>             over UDP, after 428 VERIFY <cookie>: prove your address, then LOGIN",
        "HELP                        this text",
        "QUIT                        close the connection",
    };

    static final Response RESPONSE = build();

    private Help() {}

    private static Response build() {
        Lines.MultiLine reply = new Lines.MultiLine(ReplyCodes.OK);
        for (String line : LINES) {
            reply.add(line);
        }
        return new Response(reply.end("HELP"), LINES.length + 1, 0, false);
    }
}
