package io.chatmsg.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** The display ids of presence as Redis holds it (folded id to holder), sorted by folded id. */
    public static List<String> displayIds(Map<String, String> presence) {
        List<String> ids = new ArrayList<>(presence.size());
        new TreeMap<>(presence).forEach((key, value) -> {
            Holder h = parse(value);
            if (h != null) {
                ids.add(h.display());
            }
        });
        return ids;
    }
}
