package io.chatmsg.cluster;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamReaderTests {

    @Test
    void entriesOfSeveralStreamsAreOrderedAsRedisNumbersThem() {
        List<StreamReader.EntryId> ids = new ArrayList<>(List.of(
                StreamReader.EntryId.of("1700000000001-0"),
                StreamReader.EntryId.of("1700000000000-10"),
                StreamReader.EntryId.of("1700000000000-9"),
                StreamReader.EntryId.of("999-0")));
        ids.sort(null);
        assertThat(ids)
                .extracting(id -> id.millis() + "-" + id.sequence())
                .containsExactly("999-0", "1700000000000-9", "1700000000000-10", "1700000000001-0");
    }
}
