package io.chatmsg.gateway;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The proved UDP addresses: remembered until a deadline, bounded in number. */
class VerifiedAddressesTests {

    private static final long TEN_MINUTES = 600_000;

    @Test
    void anAddressStaysProvedUntilItsDeadline() {
        VerifiedAddresses v = new VerifiedAddresses(10, TEN_MINUTES);
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);

        v.remember(a, 0);

        assertThat(v.contains(a, TEN_MINUTES - 1)).isTrue();
        assertThat(v.contains(a, TEN_MINUTES)).isFalse();
        assertThat(v.contains(new InetSocketAddress("127.0.0.1", 5001), 0)).isFalse();
    }

    @Test
    void rememberingAgainMovesTheDeadline() {
        VerifiedAddresses v = new VerifiedAddresses(10, TEN_MINUTES);
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
        v.remember(a, 0);

        v.remember(a, 500_000);

        assertThat(v.contains(a, TEN_MINUTES + 1)).isTrue();
        assertThat(v.size()).isEqualTo(1);
    }

    @Test
    void expiredEntriesAreDropped() {
        VerifiedAddresses v = new VerifiedAddresses(10, TEN_MINUTES);
        v.remember(new InetSocketAddress("127.0.0.1", 1), 0);
        v.remember(new InetSocketAddress("127.0.0.1", 2), 1000);

        v.expire(TEN_MINUTES + 1);

        assertThat(v.size()).isEqualTo(1);
        assertThat(v.contains(new InetSocketAddress("127.0.0.1", 2), TEN_MINUTES + 1))
                .isTrue();
    }

    @Test
    void pastItsCapacityTheOldestIsForgotten() {
        VerifiedAddresses v = new VerifiedAddresses(3, TEN_MINUTES);
        for (int port = 1; port <= 5; port++) {
            v.remember(new InetSocketAddress("127.0.0.1", port), port);
        }

        assertThat(v.size()).isEqualTo(3);
        assertThat(v.contains(new InetSocketAddress("127.0.0.1", 1), 10)).isFalse();
        assertThat(v.contains(new InetSocketAddress("127.0.0.1", 2), 10)).isFalse();
        assertThat(v.contains(new InetSocketAddress("127.0.0.1", 5), 10)).isTrue();
    }
}
