package io.chatmsg.session;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The capture ring starts small and grows; a snapshot is always the last lines, oldest first. */
class RecentLinesTests {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 16, 17, 64, 99, 100, 101, 250})
    void keepsTheLastHundredLinesInOrder(int n) {
        RecentLines lines = new RecentLines();
        for (int i = 0; i < n; i++) {
            lines.add(i % 2 == 0, "line " + i);
        }
        List<String> got =
                lines.snapshot().stream().map(RecentLines.Entry::text).toList();
        List<String> want = IntStream.range(Math.max(0, n - RecentLines.CAPACITY), n)
                .mapToObj(i -> "line " + i)
                .toList();
        assertThat(got).isEqualTo(want);
    }
}
