package io.chatmsg.gateway;

import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.UdpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chat.native-transport=false}: the Java NIO transport (what runs where
 * epoll does not load) carries TCP, broadcasts and UDP as epoll does. The other
 * integration tests run on epoll, the default on Linux.
 */
@TestPropertySource(properties = "chat.native-transport=false")
class NioTransportIntegrationTests extends GatewayIntegrationTest {

    @Test
    void nioCarriesMessagesBroadcastsAndDatagrams() throws Exception {
        assertThat(gateway.transport()).isEqualTo("nio");
        String a = uniqueId("nioa");
        String b = uniqueId("niob");
        String c = uniqueId("nioc");
        try (ChatTestClient ca = ChatTestClient.login(gateway.port(), a);
                ChatTestClient cb = ChatTestClient.login(gateway.port(), b);
                ChatTestClient cc = ChatTestClient.login(gateway.port(), c)) {
            ca.send("MSG " + b + " over nio");
            assertThat(ca.reply()).matches("200 MSG \\d+");
            assertThat(cb.eventMatching(l -> l.startsWith("MSG "))).isEqualTo("MSG " + a + " " + b + " over nio");
            ca.send("MSG ALL to everyone");
            assertThat(ca.reply()).matches("200 MSG \\d+ \\d+");
            assertThat(cb.eventMatching(l -> l.contains("to everyone"))).isEqualTo("MSG " + a + " ALL to everyone");
            assertThat(cc.eventMatching(l -> l.contains("to everyone"))).isEqualTo("MSG " + a + " ALL to everyone");
        }
        try (UdpTestClient udp = new UdpTestClient(gateway.udpPort())) {
            assertThat(udp.send("PING nio").receive()).isEqualTo("200 PONG nio\r\n");
        }
    }
}
