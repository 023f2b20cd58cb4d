package io.chatmsg.admin;

import java.util.List;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The clients table's sortable headers: label, the link that sorts by the
 * column (again: the other way round) and which way the table is sorted now.
 * Built in Java so that the template only reads properties.
 */
final class ClientColumns {

    /** {@code sorted} is {@code ascending}, {@code descending} or {@code none} (as in aria-sort). */
    record Column(String key, String label, String href, String sorted) {

        public String arrow() {
            return switch (sorted) {
                case "ascending" -> "▲";
                case "descending" -> "▼";
                default -> "";
            };
        }
    }

    private static final List<String[]> SORTABLE = List.of(
            new String[] {"session", "Session"},
            new String[] {"id", "Client id"},
            new String[] {"address", "Address"},
            new String[] {"since", "Connected"},
            new String[] {"bytesIn", "Bytes in"},
            new String[] {"bytesOut", "Bytes out"},
            new String[] {"messagesIn", "Msgs in"},
            new String[] {"messagesOut", "Msgs out"},
            new String[] {"rtt", "RTT"});

    private ClientColumns() {}

    /** The headers for the table as {@code query} shows it, linking under {@code contextPath}. */
    static List<Column> of(String contextPath, ClientTable.Query query) {
        return SORTABLE.stream()
                .map(c -> {
                    boolean current = c[0].equals(query.sort());
                    String sorted = !current ? "none" : query.descending() ? "descending" : "ascending";
                    String href = UriComponentsBuilder.fromPath(contextPath + "/clients")
                            .queryParam("filter", "{filter}")
                            .queryParam("sort", c[0])
                            .queryParam("descending", current && !query.descending())
                            .encode()
                            .buildAndExpand(query.filter())
                            .toUriString();
                    return new Column(c[0], c[1], href, sorted);
                })
                .toList();
    }
}
