package io.chatmsg.admin;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code chat.admin.*}: the one operator account of the dashboard and REST API.
 *
 * @param password empty: generated at first start, logged once, only its hash kept in the data dir
 */
@Validated
@ConfigurationProperties("chat.admin")
public record AdminProperties(
        @DefaultValue("admin") @Pattern(regexp = "[A-Za-z0-9_.@-]{1,64}", message = "1 to 64 of A-Z a-z 0-9 _ . @ -")
                String username,
        @DefaultValue("") String password) {}
