package io.chatmsg.protocol;

/**
 * Characters no text may carry to another client's screen: the C0 controls
 * (TAB aside, which callers decide on), DEL and the C1 controls U+0080–U+009F
 * (terminal escapes: a C1 CSI works like ESC [ on many terminals), and the
 * bidirectional embeddings, overrides and isolates U+202A–U+202E and
 * U+2066–U+2069, which make text display in another order than it reads
 * ("Trojan Source": {@code photo}, U+202E, {@code gpj.exe} shows as {@code photoexe.jpg}).
 */
public final class ControlCharacters {

    private ControlCharacters() {}

    /** A C0 control other than TAB, DEL, or a C1 control. */
    public static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    /** A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069). */
    public static boolean isBidiControl(char c) {
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** Why {@code text} may not be relayed ({@code "NUL"}, a control, a bidi control), or null. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "NUL";
            }
            if (isControl(c)) {
                return "control character";
            }
            if (isBidiControl(c)) {
                return "bidi control character";
            }
        }
        return null;
    }
}
