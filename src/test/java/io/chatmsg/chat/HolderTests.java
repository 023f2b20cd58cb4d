package io.chatmsg.chat;

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
}
