package io.chatmsg.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code monitor HOST PORT [--interval 10s]}: probes a gateway with UDP
 * {@code PING} (docs/protocol.md: no login needed) and prints one line
 * per probe: {@code normal 8.0 ms}, {@code slow 140.2 ms}, {@code very slow
 * 512.9 ms}, or {@code inactive} when no answer came within the timeout.
 */
@Command(
        name = "monitor",
        mixinStandardHelpOptions = true,
        versionProvider = TerminalClient.Version.class,
        description = "Probes a ChatMsg Gateway with UDP PING and prints one line per probe:"
                + " normal, slow or very slow with the round trip, or inactive (no answer).",
        exitCodeOnInvalidInput = Launcher.USAGE_ERROR)
final class Monitor implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HOST", description = "gateway name or address")
    String host;

    @Parameters(index = "1", paramLabel = "PORT", description = "its UDP port (the chat port, 12345, by default)")
    int port;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "time between probes, e.g. 500ms, 10s, 1m (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "no answer within this is 'inactive' (default: 2s, or the interval if shorter)")
    Duration timeout;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "0",
            description = "stop after N probes (default: run until interrupted)")
    int count;

    @Option(
            names = "--slow",
            paramLabel = "DURATION",
            defaultValue = "100ms",
            converter = DurationConverter.class,
            description = "round trips from this are 'slow' (default: ${DEFAULT-VALUE})")
    Duration slow;

    @Option(
            names = "--very-slow",
            paramLabel = "DURATION",
            defaultValue = "300ms",
            converter = DurationConverter.class,
            description = "round trips from this are 'very slow' (default: ${DEFAULT-VALUE})")
    Duration verySlow;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        InetAddress address = Launcher.checkedAddress("monitor", problem(), host, err);
        if (address == null) {
            return Launcher.USAGE_ERROR;
        }
        InetSocketAddress target = new InetSocketAddress(address, port);
        int answered = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(target);
            for (long n = 1; count == 0 || n <= count; n++) {
                long start = System.nanoTime();
                Double rtt = probe(socket, "m" + n, start);
                out.println(describe(rtt));
                out.flush();
                if (rtt != null) {
                    answered++;
                }
                if (count != 0 && n == count) {
                    break;
                }
                long left = interval.toNanos() - (System.nanoTime() - start);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        }
        return answered > 0 || count == 0 ? 0 : 1;
    }

    private String problem() {
        if (timeout == null) {
            timeout = interval.compareTo(Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2);
        }
        if (port < 1 || port > 65535) {
            return "port must be from 1 to 65535, not " + port;
        }
        if (interval.isZero() || interval.isNegative()) {
            return "--interval must be above 0";
        }
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(interval) > 0) {
            return "--timeout must be above 0 and at most the interval";
        }
        if (count < 0) {
            return "--count must be 0 or more";
        }
        if (slow.compareTo(verySlow) > 0) {
            return "--slow must not be above --very-slow";
        }
        return null;
    }

    /** Milliseconds until the answer to {@code PING token}, or null when none came in time. */
    private Double probe(DatagramSocket socket, String token, long start) throws IOException {
        byte[] ping = ("PING " + token + "\n").getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(ping, ping.length));
        byte[] expected = ("200 PONG " + token + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[512];
        long deadline = start + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (java.net.PortUnreachableException e) {
                // Nothing listens there (ICMP): no answer, as far as the probe can tell.
                continue;
            }
            if (java.util.Arrays.equals(buf, 0, p.getLength(), expected, 0, expected.length)) {
                return (System.nanoTime() - start) / 1e6;
            }
            // A late answer to an earlier probe, or something else: keep waiting for ours.
        }
    }

    String describe(Double rtt) {
        if (rtt == null) {
            return "inactive";
        }
        String state = rtt < slow.toNanos() / 1e6 ? "normal" : rtt < verySlow.toNanos() / 1e6 ? "slow" : "very slow";
        return String.format(Locale.ROOT, "%s %.1f ms", state, rtt);
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT10S}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(value.trim());
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                switch (v.charAt(v.length() - 1)) {
                    case 's':
                        return Duration.ofSeconds(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    case 'h':
                        return Duration.ofHours(n);
                    default:
                        break;
                }
            } catch (RuntimeException e) {
                // falls through to the message below
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration (e.g. 500ms, 10s, 1m)");
        }
    }
}
