package io.chatmsg.account;

import java.time.Duration;

import io.chatmsg.config.BoundedPool;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Passwords: how they are hashed (chat accounts and the operator's alike) and the threads that do it. */
@Configuration(proxyBeanMethods = false)
class AccountConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Nothing waits for a hash once the gateway has closed its connections: queued ones are dropped. */
    @Bean
    BoundedPool passwordPool(PasswordProperties passwords) {
        return new BoundedPool(
                "password",
                passwords.threadCount(),
                passwords.queueCapacity(),
                Duration.ZERO,
                BoundedPool.AFTER_GATEWAY);
    }
}
