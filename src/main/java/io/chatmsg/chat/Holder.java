package io.chatmsg.chat;

/**
 * Who holds an id in a cluster: the node, the session there and the id as shown.
 * Kept in Redis as one string per id ({@link #format}).
 */
public record Holder(String node, long session, String display) {

    /** {@code node TAB session TAB display}: none of the three contains a tab. */
    public String format() {
        return node + '\t' + session + '\t' + display;
    }

    /** The inverse of {@link #format}; null for anything else. */
    public static Holder parse(String value) {
        if (value == null) {
            return null;
        }
        int a = value.indexOf('\t');
        int b = a < 0 ? -1 : value.indexOf('\t', a + 1);
        if (b < 0) {
            return null;
        }
        try {
            return new Holder(value.substring(0, a), Long.parseLong(value.substring(a + 1, b)), value.substring(b + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
