package io.chatmsg.chat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimGateTests {

    @Test
    void handOversWaitForTheClaimAndThenRunInTheirOrder() {
        ClaimGate gate = new ClaimGate();
        List<String> ran = new ArrayList<>();
        gate.deliver(() -> ran.add("before any claim"));
        gate.claiming();
        gate.deliver(() -> ran.add("first"));
        gate.deliver(() -> ran.add("second"));
        assertThat(gate.busy()).isTrue();
        assertThat(ran).containsExactly("before any claim");

        gate.claimed(List.of(7L, 9L));

        assertThat(gate.busy()).isFalse();
        assertThat(ran).containsExactly("before any claim", "first", "second");
    }

    @Test
    void remembersWhatTheLastTwoClaimsTook() {
        ClaimGate gate = new ClaimGate();
        gate.claiming();
        gate.claimed(List.of(1L, 2L));
        gate.claiming();
        gate.claimed(List.of(3L));
        assertThat(gate.took(1)).isTrue();
        assertThat(gate.took(3)).isTrue();
        assertThat(gate.took(4)).isFalse();

        gate.claiming();
        gate.claimed(List.of());
        assertThat(gate.took(1)).as("three claims ago").isFalse();
        assertThat(gate.took(3)).isTrue();
    }

    @Test
    void aHandOverThatTheClaimTookIsSeenAsTakenWhenItRuns() {
        ClaimGate gate = new ClaimGate();
        List<Long> delivered = new ArrayList<>();
        gate.claiming();
        for (long id : new long[] {5, 6}) {
            gate.deliver(() -> {
                if (!gate.took(id)) {
                    delivered.add(id);
                }
            });
        }
        gate.claimed(List.of(5L));
        assertThat(delivered).containsExactly(6L);
    }
}
