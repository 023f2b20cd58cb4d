package io.chatmsg.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live clients table, filtered, sorted and paged on the server so that a
 * page with ten thousand connections sends the browser only one screenful.
 */
final class ClientTable {

    static final int PAGE_SIZE = 50;

    private static final Map<String, Comparator<Views.Client>> SORTS = Map.of(
            "id",
                    Comparator.comparing(
                            c -> c.clientId() == null ? "\uffff" : c.clientId().toLowerCase(Locale.ROOT)),
            "address", Comparator.comparing(Views.Client::remoteAddress),
            "since", Comparator.comparing(Views.Client::connectedAt),
            "bytesIn", Comparator.comparingLong(Views.Client::bytesIn),
            "bytesOut", Comparator.comparingLong(Views.Client::bytesOut),
            "messagesIn", Comparator.comparingLong(Views.Client::messagesIn),
            "messagesOut", Comparator.comparingLong(Views.Client::messagesOut),
            "rtt", Comparator.comparingLong(c -> c.rttMillis() == null ? Long.MAX_VALUE : c.rttMillis()),
            "session", Comparator.comparingLong(Views.Client::sessionId));

    /** From request parameters, any of which may be missing or odd: normalised, never an error. */
    record Query(String filter, String sort, Boolean descending, Integer page) {
        Query {
            sort = sort != null && SORTS.containsKey(sort) ? sort : "session";
            descending = descending != null && descending;
            page = page == null ? 0 : Math.max(0, page);
            filter = filter == null ? "" : filter.trim();
        }
    }

    record Result(List<Views.Client> rows, int total, int matching, int page, int pages, Query query) {}

    private ClientTable() {}

    static Result of(List<Views.Client> all, Query q) {
        String f = q.filter().toLowerCase(Locale.ROOT);
        Comparator<Views.Client> order = SORTS.get(q.sort());
        if (q.descending()) {
            order = order.reversed();
        }
        List<Views.Client> matching = all.stream()
                .filter(c -> f.isEmpty()
                        || (c.clientId() != null
                                && c.clientId().toLowerCase(Locale.ROOT).contains(f))
                        || c.remoteAddress().contains(f)
                        || c.transport().equals(f))
                .sorted(order)
                .toList();
        int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(q.page(), pages - 1);
        int from = page * PAGE_SIZE;
        List<Views.Client> rows = matching.subList(from, Math.min(matching.size(), from + PAGE_SIZE));
        return new Result(rows, all.size(), matching.size(), page, pages, q);
    }
}
