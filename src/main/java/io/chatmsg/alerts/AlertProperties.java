package io.chatmsg.alerts;

import java.time.Duration;
import java.util.List;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.alerts.*}: who is told, by which SMTP server, about what.
 *
 * @param recipients      e-mail addresses; empty: alerts are only shown on the dashboard
 * @param from            the sender address of the mails
 * @param smtp            the mail server
 * @param watch           client ids whose latency state changes raise alerts
 * @param gatewayInterval how often the gateway probes its own UDP port; 0 switches it off
 * @param checkInterval   how often watched clients' states are looked at
 * @param retryInitial    first wait after a failed mail; it doubles up to {@code retryMax}
 * @param retryMax        the longest wait between attempts
 * @param maxAttempts     attempts before a mail is given up ("failed")
 */
@Validated
@ConfigurationProperties("chat.alerts")
public record AlertProperties(
        @DefaultValue List<String> recipients,
        @DefaultValue("chatmsg-gateway@localhost") String from,
        @DefaultValue @Valid Smtp smtp,
        @DefaultValue List<String> watch,
        @DefaultValue("10s") @NotNull Duration gatewayInterval,
        @DefaultValue("5s") @NotNull Duration checkInterval,
        @DefaultValue("10s") @NotNull Duration retryInitial,
        @DefaultValue("10m") @NotNull Duration retryMax,
        @DefaultValue("20") @Min(1) int maxAttempts) {

    /**
     * @param starttls require STARTTLS before sending credentials or mail
     * @param timeout  connect and read timeout for one attempt
     */
    public record Smtp(
            @DefaultValue("localhost") String host,
            @DefaultValue("25") @Min(1) @Max(65535) int port,
            String username,
            String password,
            @DefaultValue("false") boolean starttls,
            @DefaultValue("10s") @NotNull Duration timeout) {}
}
