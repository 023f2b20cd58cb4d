package io.chatmsg.config;

import java.nio.file.Path;
import java.time.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's top-level properties ({@code chat.*}); see
 * the README's table. {@code port = 0} binds a free port (tests).
 */
@Validated
@ConfigurationProperties("chat")
public record ChatProperties(
        @DefaultValue("12345") @Min(0) @Max(65535) int port,
        @DefaultValue("0.0.0.0") @NotBlank String bindAddress,
        @DefaultValue("chatmsg-gateway")
                @Pattern(
                        regexp = "[\\x21-\\x7e]{1,64}",
                        message = "must be 1 to 64 printable ASCII characters without spaces")
                String serverName,
        @DefaultValue("./data") @NotNull Path dataDir,
        @DefaultValue("10s") @NotNull Duration shutdownTimeout,
        @DefaultValue @Valid Presence presence,
        @DefaultValue("true") boolean nativeTransport) {

    /** {@code chat.presence.*}: JOIN/LEAVE events to every logged-in client. */
    public record Presence(@DefaultValue("true") boolean enabled) {}
}
