package io.chatmsg.admin;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pager's links, the clients table's headers and byte counts, without a server. */
class PageLinksTests {

    private static Views.PageOf<String> page(int number, int totalPages) {
        return new Views.PageOf<>(List.of("row"), totalPages * 50L, number, 50, totalPages);
    }

    @Test
    void firstPageLinksOnlyForwardAndKeepsTheSearch() {
        PageLinks.Pager pager = PageLinks.of("/messages", "q=a%20b&from=alice&page=0", page(0, 2));
        assertThat(pager.previous()).isNull();
        assertThat(pager.next()).isEqualTo("/messages?q=a%20b&from=alice&page=1");
        assertThat(pager.label()).isEqualTo("page 1 of 2");
        assertThat(pager.shown()).isTrue();
    }

    @Test
    void lastPageLinksOnlyBack() {
        PageLinks.Pager pager = PageLinks.of("/sessions", "page=2", page(2, 3));
        assertThat(pager.previous()).isEqualTo("/sessions?page=1");
        assertThat(pager.next()).isNull();
        assertThat(pager.label()).isEqualTo("page 3 of 3");
    }

    @Test
    void aPageBeyondTheLastLinksBackToTheLast() {
        PageLinks.Pager pager = PageLinks.of("/audit", "page=40", page(40, 3));
        assertThat(pager.previous()).isEqualTo("/audit?page=2");
        assertThat(pager.next()).isNull();
    }

    @Test
    void withoutAQueryStringThePageIsTheOnlyParameter() {
        assertThat(PageLinks.of("/users", null, page(0, 2)).next()).isEqualTo("/users?page=1");
        assertThat(PageLinks.of("/users", null, page(0, 1)).shown()).isFalse();
    }

    @Test
    void everyClientsColumnHasALabelAndTheSortedOneTurnsAround() {
        List<ClientColumns.Column> columns = ClientColumns.of("", new ClientTable.Query("a b+c", "bytesIn", false, 3));
        assertThat(columns).hasSize(9).allSatisfy(c -> assertThat(c.label()).isNotBlank());
        ClientColumns.Column bytesIn = columns.stream()
                .filter(c -> c.key().equals("bytesIn"))
                .findFirst()
                .orElseThrow();
        assertThat(bytesIn.sorted()).isEqualTo("ascending");
        assertThat(bytesIn.arrow()).isEqualTo("▲");
        assertThat(bytesIn.href()).isEqualTo("/clients?filter=a%20b%2Bc&sort=bytesIn&descending=true");
        ClientColumns.Column session = columns.get(0);
        assertThat(session.sorted()).isEqualTo("none");
        assertThat(session.href()).isEqualTo("/clients?filter=a%20b%2Bc&sort=session&descending=false");
    }

    @Test
    void byteCountsHaveUnitsAsOnTheOtherPages() {
        assertThat(Views.bytes(11)).isEqualTo("11 B");
        assertThat(Views.bytes(150_000)).isEqualTo("146.5 KB");
        assertThat(Views.bytes(60_000_000)).isEqualTo("57.2 MB");
    }
}
