package io.chatmsg.bench;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --hosts}: the list is read as documented, clients are dealt round-robin,
 * and a message crosses exactly when its two clients are on different gateways.
 */
class GatewaysTests {

    @Test
    void clientsAreDealtRoundRobinOverTheListInItsOrder() {
        Gateways g = Gateways.parse("127.0.0.1:12401,127.0.0.1:12402,[::1]:12403");

        assertThat(g.size()).isEqualTo(3);
        assertThat(g.of(0)).isEqualTo(new InetSocketAddress("127.0.0.1", 12401));
        assertThat(g.of(1)).isEqualTo(new InetSocketAddress("127.0.0.1", 12402));
        assertThat(g.of(2).getPort()).isEqualTo(12403);
        assertThat(g.of(2).getAddress().isLoopbackAddress()).isTrue();
        assertThat(g.of(3)).isEqualTo(g.of(0));
        assertThat(g.of(199)).isEqualTo(g.of(1));
        assertThat(g.names()).containsExactly("127.0.0.1:12401", "127.0.0.1:12402", "[0:0:0:0:0:0:0:1]:12403");
    }

    @Test
    void aMessageCrossesWhenItsClientsAreOnDifferentGateways() {
        Gateways two = Gateways.parse("127.0.0.1:1,127.0.0.1:2");
        assertThat(two.crosses(0, 2)).isFalse();
        assertThat(two.crosses(0, 1)).isTrue();
        assertThat(two.crosses(7, 4)).isTrue();
        assertThat(two.crosses(7, 5)).isFalse();

        // Over 2 gateways, a random peer among the 99 others of 100 clients is elsewhere 50 times in 99.
        int crossing = 0;
        for (int to = 1; to < 100; to++) {
            crossing += two.crosses(0, to) ? 1 : 0;
        }
        assertThat(crossing).isEqualTo(50);

        Gateways one = Gateways.parse("127.0.0.1:1");
        assertThat(one.crosses(0, 1)).isFalse();
    }

    @Test
    void nonsenseIsRefusedWithAOneLineReason() {
        assertThatThrownBy(() -> Gateways.parse("127.0.0.1"))
                .hasMessage("--hosts takes HOST:PORT,HOST:PORT,...; not '127.0.0.1'");
        assertThatThrownBy(() -> Gateways.parse("127.0.0.1:1,"))
                .hasMessage("--hosts takes HOST:PORT,HOST:PORT,...; not ''");
        assertThatThrownBy(() -> Gateways.parse("127.0.0.1:0"))
                .hasMessage("--hosts: port must be from 1 to 65535 in '127.0.0.1:0'");
        assertThatThrownBy(() -> Gateways.parse("127.0.0.1:x"))
                .hasMessage("--hosts: port must be from 1 to 65535 in '127.0.0.1:x'");
        assertThatThrownBy(() -> Gateways.parse("no-such-host.invalid:1"))
                .hasMessage("--hosts: unknown host no-such-host.invalid");
    }
}
