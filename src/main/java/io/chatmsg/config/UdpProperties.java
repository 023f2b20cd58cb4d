package io.chatmsg.config;

import java.time.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.udp.*}: the datagram form (docs/protocol.md, UDP).
 *
 * @param enabled         listen for datagrams at all
 * @param port            UDP port; unset: the same number as {@code chat.port} (with {@code chat.port=0},
 *                        the number the TCP listener got, when free)
 * @param maxDatagramSize larger datagrams are dropped and counted
 * @param sessionTimeout  a UDP session silent this long is logged off
 * @param verifiedFor     how long an address that proved it receives datagrams ({@code VERIFY}) stays
 *                        proved after that, or after its session ended
 * @param maxVerifiedAddresses proved addresses remembered at most (the oldest are forgotten first;
 *                        an address with a session stays proved regardless)
 */
@Validated
@ConfigurationProperties("chat.udp")
public record UdpProperties(
        @DefaultValue("true") boolean enabled,
        @Min(0) @Max(65535) Integer port,
        @DefaultValue("4096B") @NotNull DataSize maxDatagramSize,
        @DefaultValue("120s") @NotNull Duration sessionTimeout,
        @DefaultValue("10m") @NotNull Duration verifiedFor,
        @DefaultValue("100000") @Min(1) int maxVerifiedAddresses) {}
