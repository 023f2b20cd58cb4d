package io.chatmsg.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import io.chatmsg.support.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stateless cookies of {@code 428 VERIFY}: bound to address and port, valid for two minutes. */
class UdpCookiesTests {

    private static final byte[] KEY = new byte[32];

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final UdpCookies cookies = new UdpCookies(clock, KEY);
    private final InetSocketAddress alice = address("192.0.2.10", 40000);

    @Test
    void aCookieIsSixteenUrlSafeCharactersAndValidFromTheAddressItWasSentTo() {
        String cookie = cookies.issue(alice);

        assertThat(cookie).hasSize(UdpCookies.LENGTH).matches("[A-Za-z0-9_-]+");
        assertThat(cookies.valid(cookie, alice)).isTrue();
    }

    @Test
    void aCookieIsWorthNothingFromAnotherPortOrAddress() {
        String cookie = cookies.issue(alice);

        assertThat(cookies.valid(cookie, address("192.0.2.10", 40001))).isFalse();
        assertThat(cookies.valid(cookie, address("192.0.2.11", 40000))).isFalse();
        assertThat(cookies.valid(cookie, address("2001:db8::10", 40000))).isFalse();
    }

    @Test
    void aCookieIsValidForTwoMinutesAndNotAfter() {
        String cookie = cookies.issue(alice);

        clock.advance(Duration.ofSeconds(120));
        assertThat(cookies.valid(cookie, alice)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cookies.valid(cookie, alice)).isFalse();
    }

    @Test
    void aCookieFromTheFutureOrAnotherProcessIsRefused() {
        clock.advance(Duration.ofMinutes(1));
        String fromTheFuture = cookies.issue(alice);
        clock.advance(Duration.ofMinutes(-1));
        assertThat(cookies.valid(fromTheFuture, alice)).isFalse();

        UdpCookies restarted = new UdpCookies(clock);
        assertThat(restarted.valid(cookies.issue(alice), alice)).isFalse();
    }

    @Test
    void forgedOrMangledCookiesAreRefused() {
        String cookie = cookies.issue(alice);
        char last = cookie.charAt(cookie.length() - 1);
        String flipped = cookie.substring(0, cookie.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(cookies.valid(flipped, alice)).isFalse();
        assertThat(cookies.valid(cookie + "A", alice)).isFalse();
        assertThat(cookies.valid(cookie.substring(1), alice)).isFalse();
        assertThat(cookies.valid("!!!!!!!!!!!!!!!!", alice)).isFalse();
        assertThat(cookies.valid("q7Jx2mK9vLr4", alice)).isFalse();
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
