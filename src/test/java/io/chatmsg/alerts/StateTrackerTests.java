package io.chatmsg.alerts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateTrackerTests {

    @Test
    void reportsChangesNotRepeatsAndIgnoresUnknown() {
        StateTracker t = new StateTracker();
        assertThat(t.changed("a", "unknown")).isNull();
        assertThat(t.changed("a", "normal")).isNull();
        assertThat(t.changed("a", "normal")).isNull();
        assertThat(t.changed("a", "slow")).isEqualTo("normal");
        assertThat(t.changed("a", "slow")).isNull();
        assertThat(t.changed("a", "unknown")).isNull();
        assertThat(t.changed("a", "inactive")).isEqualTo("slow");
        assertThat(t.changed("a", "offline")).isEqualTo("inactive");
    }

    @Test
    void aBadFirstStateIsNewsAGoodOneIsNot() {
        StateTracker t = new StateTracker();
        assertThat(t.changed("gateway", "very slow")).isEqualTo("unknown");
        assertThat(t.changed("client x", "offline")).isNull();
        assertThat(t.changed("client y", "normal")).isNull();
    }
}
