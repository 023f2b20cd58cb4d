package io.chatmsg.chat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HolderTests {

    @Test
    void formatAndParseAreInverse() {
        Holder h = new Holder("node-1:12345", 4201, "Alice");
        assertThat(Holder.parse(h.format())).isEqualTo(h);
    }

    @Test
    void anythingElseParsesToNull() {
        assertThat(Holder.parse(null)).isNull();
        assertThat(Holder.parse("")).isNull();
        assertThat(Holder.parse("node\tnot-a-number\tAlice")).isNull();
        assertThat(Holder.parse("node\t12")).isNull();
    }

    @Test
    void whoListsDisplayIdsInFoldedOrderSkippingWhatDoesNotParse() {
        Map<String, String> presence = Map.of(
                "carol", new Holder("n2", 3, "Carol").format(),
                "alice", new Holder("n1", 1, "ALICE").format(),
                "bob", "garbage",
                "bea", new Holder("n1", 2, "Bea").format());
        assertThat(Holder.displayIds(presence)).containsExactly("ALICE", "Bea", "Carol");
        assertThat(Holder.displayIds(Map.of())).isEmpty();
    }
}
