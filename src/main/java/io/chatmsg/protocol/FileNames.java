package io.chatmsg.protocol;

import java.nio.charset.StandardCharsets;

/** What docs/protocol.md allows as a file name, and what a file id looks like. */
public final class FileNames {

    /** Longest name in UTF-8 bytes: what common file systems allow for one path element. */
    public static final int MAX_NAME_BYTES = 255;

    private static final int MAX_ID_LENGTH = 32;

    private FileNames() {}

    /** Why {@code name} is not a plain file name, or null when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "PUT needs a file name";
        }
        if (name.equals(".") || name.equals("..")) {
            return "bad name: . and .. are not file names";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "bad name: no / or \\ (a plain file name, not a path)";
            }
            if (c == '\t' || ControlCharacters.isControl(c) || ControlCharacters.isBidiControl(c)) {
                return "bad name: no control characters";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "bad name: longer than " + MAX_NAME_BYTES + " bytes";
        }
        return null;
    }

    /** File ids are short words of letters and digits (the server makes them lower case). */
    public static boolean isFileId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
