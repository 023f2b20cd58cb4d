package io.chatmsg.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.chatmsg.bench.BenchSettings.Proto;
import io.chatmsg.bench.BenchSettings.Scenario;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients spread over two gateways ({@code --hosts}) on real sockets: a tiny relay
 * listening on two ports stands for two nodes sharing their clients. Each client
 * must arrive through its own door, and the generator's count of crossing messages
 * must be the relay's.
 */
class SpreadRunTests {

    @Test
    void directMessagesOverTwoDoorsAreAllDeliveredAndTheCrossingsCountedAsTheServerSawThem() throws Exception {
        try (TinyIrcServer server = new TinyIrcServer(2)) {
            Gateways doors = new Gateways(List.of(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port(0)),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port(1))));

            Map<String, Object> r = run(server, doors, Scenario.dm, 10);

            for (int i = 0; i < 10; i++) {
                assertThat(server.doorOf("s" + i)).as("client %d", i).isEqualTo(i % 2);
            }
            assertThat(r.get("fatal")).isNull();
            assertThat(r.get("port")).isEqualTo(server.port(0));
            assertThat(r.get("hosts")).isEqualTo(doors.names());
            long sent = ((Number) r.get("sent")).longValue();
            long crossing = ((Number) r.get("cross_node")).longValue();
            assertThat(sent).isGreaterThan(10 * 4);
            assertThat(crossing).isEqualTo(server.crossed());
            // 5 of the 9 peers of each client are on the other door: 5/9 of the messages, give or take.
            assertThat(((Number) r.get("cross_node_share")).doubleValue())
                    .isEqualTo((double) crossing / sent, org.assertj.core.data.Offset.offset(0.0005))
                    .isBetween(0.4, 0.7);
            assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
            assertThat(r.get("lost")).isEqualTo(0);
            assertThat(r.get("duplicates")).isEqualTo(0);
        }
    }

    @Test
    void fanOutOverTwoDoorsReachesEveryMemberOnBoth() throws Exception {
        try (TinyIrcServer server = new TinyIrcServer(2)) {
            Gateways doors = new Gateways(List.of(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port(0)),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port(1))));

            Map<String, Object> r = run(server, doors, Scenario.fanout, 5);

            assertThat(server.doorOf("s4")).isZero();
            assertThat(server.doorOf("s3")).isEqualTo(1);
            long sent = ((Number) r.get("sent")).longValue();
            assertThat(((Number) r.get("expected")).longValue()).isEqualTo(4 * sent);
            assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
            assertThat(r).containsKey("hosts").doesNotContainKey("cross_node");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(TinyIrcServer server, Gateways doors, Scenario scenario, int clients)
            throws Exception {
        BenchSettings s = new BenchSettings(
                server.port(0),
                Proto.irc,
                scenario,
                clients,
                0,
                4,
                Duration.ofMillis(500),
                Duration.ofMillis(100),
                64,
                10,
                "s");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = LoadGenerator.run(
                s, LoadGenerator.StoreOptions.NONE, doors, new PrintStream(out, true, StandardCharsets.UTF_8));

        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(line).isZero();
        return JsonMapper.builder().build().readValue(line, Map.class);
    }
}
