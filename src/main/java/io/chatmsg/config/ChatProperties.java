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
 * the README's table. {@code port = 0} binds a free port (tests); {@code io-threads = 0}
 * chooses the number of event loops from the processors ({@link #eventLoops()}).
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
        @DefaultValue("true") boolean nativeTransport,
        @DefaultValue("0") @Min(0) @Max(1024) int ioThreads) {

    /**
     * The event loops that serve the chat sockets: {@link #ioThreads} when set, else
     * one per two processors (at least one). Fewer loops than cores leave the others to
     * the database writer and the kernel's share of each socket call, and make each
     * loop's rounds of writes larger (docs/performance.md).
     */
    public int eventLoops() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** {@code chat.presence.*}: JOIN/LEAVE events to every logged-in client. */
    public record Presence(@DefaultValue("true") boolean enabled) {}
}
