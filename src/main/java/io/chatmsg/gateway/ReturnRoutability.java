package io.chatmsg.gateway;

import java.net.InetSocketAddress;
import java.time.Clock;

import io.chatmsg.chat.Response;
import io.chatmsg.config.UdpProperties;
import io.chatmsg.protocol.ReplyCodes;

/**
 * Whether a UDP address (IP and port) has shown that it receives datagrams:
 * the {@code 428 VERIFY <cookie>} challenge for one that has not, and the
 * answer to its {@code VERIFY <cookie>}. An address with a session has shown
 * it; the gateway keeps it in mind for {@code chat.udp.verified-for} after it
 * proved itself or its session ended. Confined to the UDP event loop.
 */
final class ReturnRoutability {

    private final Clock clock;
    private final UdpCookies cookies;
    private final VerifiedAddresses verified;

    ReturnRoutability(UdpProperties properties, Clock clock) {
        this.clock = clock;
        this.cookies = new UdpCookies(clock);
        this.verified = new VerifiedAddresses(
                properties.maxVerifiedAddresses(), properties.verifiedFor().toMillis());
    }

    /** True when {@code from} has proved itself and may open a session. */
    boolean proved(InetSocketAddress from) {
        return verified.contains(from, clock.millis());
    }

    /** The reply to a LOGIN from an address that has not proved itself. */
    Response challenge(InetSocketAddress from) {
        return Response.reply(ReplyCodes.VERIFY_FIRST, "VERIFY " + cookies.issue(from));
    }

    /** {@code VERIFY cookie} from {@code from}: {@code 200 VERIFY}, and proved from now on, or {@code 403}. */
    Response verify(String cookie, InetSocketAddress from) {
        if (!cookies.valid(cookie, from)) {
            return Response.reply(ReplyCodes.FORBIDDEN, "wrong or stale cookie");
        }
        verified.remember(from, clock.millis());
        return Response.reply(ReplyCodes.OK, "VERIFY");
    }

    /** The session of {@code address} ended: it stays proved for a while. */
    void sessionEnded(InetSocketAddress address) {
        verified.remember(address, clock.millis());
    }

    void expire() {
        verified.expire(clock.millis());
    }
}
