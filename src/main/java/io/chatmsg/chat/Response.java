package io.chatmsg.chat;

import java.nio.file.Path;

import io.chatmsg.protocol.Lines;

/**
 * The answer to one command: the final reply (and any continuation lines or
 * events that must follow it directly), formatted and CR LF terminated.
 *
 * @param text     everything to write, in order
 * @param lines    how many lines {@code text} holds
 * @param messages how many of them are MSG events (offline delivery after LOGIN)
 * @param close    close the connection once written (QUIT)
 * @param body     raw bytes that follow {@code text} (GET), or null
 */
public record Response(String text, int lines, int messages, boolean close, Body body) {

    public Response(String text, int lines, int messages, boolean close) {
        this(text, lines, messages, close, null);
    }

    public static Response reply(int code, String text) {
        return new Response(Lines.reply(code, text), 1, 0, false);
    }

    /** A file's bytes, to be streamed from disk after the reply line. */
    public record Body(Path path, long size, String fileId, String fetchedBy) {}
}
