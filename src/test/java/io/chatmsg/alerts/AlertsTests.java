package io.chatmsg.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.config.ChatProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The mail thread's queue, with a repository that keeps nothing (no database, no SMTP server needed). */
class AlertsTests {

    private final CountDownLatch held = new CountDownLatch(1);
    private final BoundedPool mailer = new BoundedPool("alert-mail", 1, 1, Duration.ZERO, BoundedPool.AFTER_GATEWAY);
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final AlertRepository repository = mock(AlertRepository.class);

    @AfterEach
    void stop() {
        held.countDown();
        mailer.destroy();
        scheduler.shutdown();
    }

    private Alerts alerts() {
        Binder binder =
                new Binder(new MapConfigurationPropertySource(Map.of("chat.alerts.recipients", "ops@example.test")));
        when(repository.save(any(Alert.class))).thenAnswer(i -> i.getArgument(0));
        scheduler.initialize();
        return new Alerts(
                repository,
                binder.bindOrCreate("chat.alerts", AlertProperties.class),
                binder.bindOrCreate("chat", ChatProperties.class),
                Clock.systemUTC(),
                mailer,
                scheduler);
    }

    @Test
    void anAlertWhoseMailFindsTheQueueFullIsRecordedAndItsMailGivenUp() throws Exception {
        Alerts alerts = alerts();
        CountDownLatch busy = new CountDownLatch(1);
        mailer.execute(() -> {
            busy.countDown();
            try {
                held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        Alert queued = alerts.raise("client alice", "normal", "inactive", "no answer");

        Alert refused = alerts.raise("client bob", "normal", "inactive", "no answer");

        assertThat(queued.getMailStatus()).isEqualTo(Alert.RETRYING);
        assertThat(refused.getMailStatus()).isEqualTo(Alert.FAILED);
        assertThat(refused.getMailError()).startsWith("not mailed: ");
    }

    @Test
    void anAlertRaisedOnceTheMailThreadIsGoneStaysOwedForTheNextStart() {
        Alerts alerts = alerts();
        mailer.destroy();

        Alert owed = alerts.raise("client alice", "normal", "inactive", "no answer");

        assertThat(owed.getMailStatus()).isEqualTo(Alert.RETRYING);
    }
}
