package io.chatmsg.config;

import java.nio.file.Path;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.tls.*} (docs/protocol.md): CHAT-MSG inside TLS 1.2/1.3 on a
 * second port.
 *
 * @param certificate PEM certificate chain; with {@code privateKey} absent too, a self-signed
 *                    pair is generated once into {@code <data-dir>/tls/}
 * @param privateKey  PEM private key (PKCS#8)
 * @param clientCa    PEM of a CA: clients presenting a certificate it signed may LOGIN as the
 *                    certificate's common name without a password
 */
@Validated
@ConfigurationProperties("chat.tls")
public record TlsProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("12346") @Min(0) @Max(65535) int port,
        Path certificate,
        Path privateKey,
        Path clientCa) {}
