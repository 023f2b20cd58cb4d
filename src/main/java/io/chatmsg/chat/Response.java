package io.chatmsg.chat;

import io.chatmsg.protocol.Lines;

/**
 * The answer to one command: the final reply (and any continuation lines or
 * events that must follow it directly), formatted and CR LF terminated.
 *
 * @param text     everything to write, in order
 * @param lines    how many lines {@code text} holds
 * @param messages how many of them are MSG events (offline delivery after LOGIN)
 * @param close    close the connection once written (QUIT)
 */
public record Response(String text, int lines, int messages, boolean close) {

    public static Response reply(int code, String text) {
        return new Response(Lines.reply(code, text), 1, 0, false);
    }
}
