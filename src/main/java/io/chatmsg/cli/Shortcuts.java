package io.chatmsg.cli;

import java.util.Locale;

/** The terminal client's {@code /shortcuts}; any other line is sent untouched. */
final class Shortcuts {

    static final String HELP = String.join(
            System.lineSeparator(),
            "Shortcuts (anything else is sent to the server as typed):",
            "  /login ID [PASSWORD]   LOGIN ID [PASSWORD]",
            "  /msg ID TEXT           MSG ID TEXT",
            "  /all TEXT              MSG ALL TEXT",
            "  /who                   WHO",
            "  /history ID|ALL [N]    HISTORY ID|ALL [N]",
            "  /logoff ID             LOGOFF ID",
            "  /send PATH TO          send a file to a client id or ALL (PUT), with progress",
            "  /get FILE-ID [DIR]     fetch a file into DIR (default: here), with progress",
            "  /quit                  QUIT",
            "  /help                  this list (HELP asks the server for its commands)",
            "  //text                 sends /text");

    private Shortcuts() {}

    /** The protocol line for {@code typed}, or null when nothing is to be sent. */
    static String expand(String typed, ConsoleIo io) {
        if (!typed.startsWith("/")) {
            return typed;
        }
        if (typed.startsWith("//")) {
            return typed.substring(1);
        }
        int space = typed.indexOf(' ');
        String name = (space < 0 ? typed.substring(1) : typed.substring(1, space)).toLowerCase(Locale.ROOT);
        String args = space < 0 ? "" : typed.substring(space + 1);
        switch (name) {
            case "login":
                return "LOGIN " + args;
            case "msg":
                return "MSG " + args;
            case "all":
                return "MSG ALL " + args;
            case "who":
                return "WHO";
            case "history":
                return "HISTORY " + args;
            case "logoff":
                return "LOGOFF " + args;
            case "quit":
                return "QUIT";
            case "help":
                io.info(HELP);
                return null;
            default:
                io.info("unknown shortcut /" + name + " (/help lists them)");
                return null;
        }
    }
}
