package io.chatmsg.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.RejectedExecutionException;

import io.chatmsg.config.BoundedPool;
import io.chatmsg.config.ChatProperties;
import io.chatmsg.protocol.Lines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

/**
 * Raises alerts: each is recorded (the dashboard's Alerts page shows it at
 * once) and mailed to {@code chat.alerts.recipients} on a thread of its own
 * ({@code alertMailPool}), so an SMTP server that is slow or down delays
 * nothing else. A failed mail is retried with back-off ({@code retry-initial}
 * doubling to {@code retry-max}; Spring's scheduler keeps the time), its last
 * error shown on the dashboard, and given up after {@code max-attempts}; mails
 * still owed at shutdown are tried again at start.
 */
@Service
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    /** Mails waiting for a retry beyond this are given up at once: the backlog stays bounded. */
    static final int MAX_OWED = 1000;

    private final AlertRepository repository;
    private final AlertProperties properties;
    private final Clock clock;
    private final String serverName;
    private final JavaMailSenderImpl sender;
    private final BoundedPool mailer;
    private final TaskScheduler scheduler;
    /** Ids of alerts whose mail is owed, oldest first; the mail thread only. */
    private final java.util.ArrayDeque<Long> owed = new java.util.ArrayDeque<>();
    /** The wait before the next attempt after a failure; the mail thread only. */
    private Duration wait;

    Alerts(
            AlertRepository repository,
            AlertProperties properties,
            ChatProperties chat,
            Clock clock,
            @Qualifier("alertMailPool") BoundedPool mailer,
            TaskScheduler scheduler) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
        this.serverName = chat.serverName();
        this.sender = properties.recipients().isEmpty() ? null : sender(properties.smtp());
        this.mailer = mailer;
        this.scheduler = scheduler;
        this.wait = properties.retryInitial();
        if (sender != null) {
            repository.findByMailStatus(Alert.RETRYING).stream()
                    .sorted(java.util.Comparator.comparing(Alert::getId))
                    .forEach(this::owe);
        }
    }

    private static JavaMailSenderImpl sender(AlertProperties.Smtp smtp) {
        JavaMailSenderImpl s = new JavaMailSenderImpl();
        s.setHost(smtp.host());
        s.setPort(smtp.port());
        s.setDefaultEncoding("UTF-8");
        if (smtp.username() != null && !smtp.username().isBlank()) {
            s.setUsername(smtp.username());
            s.setPassword(smtp.password());
        }
        Properties p = s.getJavaMailProperties();
        String millis = String.valueOf(smtp.timeout().toMillis());
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        p.put("mail.smtp.auth", String.valueOf(s.getUsername() != null));
        if (smtp.starttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return s;
    }

    /** Records a change of state and mails it (if anyone is to be told). Never blocks on SMTP. */
    public Alert raise(String subject, String fromState, String toState, String detail) {
        Alert a = repository.save(new Alert(clock.instant(), subject, fromState, toState, detail, sender != null));
        log.warn("alert: {} {} -> {}: {}", subject, fromState, toState, detail);
        if (sender != null) {
            owe(a);
        }
        return a;
    }

    public Page<Alert> recent(int page, int size) {
        return repository.findAllByOrderByRaisedAtDescIdDesc(PageRequest.of(Math.max(0, page), size));
    }

    /** Queues the alert's mail behind those still owed, so mails arrive in the order of the alerts. */
    private void owe(Alert a) {
        try {
            mailer.execute(() -> {
                if (owed.size() >= MAX_OWED) {
                    giveUp(a);
                    return;
                }
                owed.add(a.getId());
                if (owed.size() == 1) {
                    drain();
                }
            });
        } catch (RejectedExecutionException e) {
            if (!mailer.isShutdown()) {
                giveUp(a); // as many hand-overs wait as mails may be owed
            } // else: stopping; it is still owed in the database and tried at the next start
        }
    }

    private void giveUp(Alert a) {
        a.attemptFailed("not mailed: " + MAX_OWED + " earlier alerts are still waiting for the mail server", true);
        repository.save(a);
    }

    /** Drains again on the mail thread after {@code wait}. */
    private void retryIn(Duration wait) {
        try {
            scheduler.schedule(
                    () -> {
                        try {
                            mailer.execute(this::drain);
                        } catch (RejectedExecutionException e) {
                            if (!mailer.isShutdown()) {
                                retryIn(wait); // the queue is full of hand-overs: they go first
                            }
                        }
                    },
                    scheduler.getClock().instant().plus(wait));
        } catch (RejectedExecutionException e) {
            // Spring's scheduler has stopped: the application is stopping; owed mails wait for the next start.
        }
    }

    /**
     * On the mail thread: sends the owed mails oldest first. When one fails, it and
     * everything behind it wait ({@code retry-initial}, doubling to {@code retry-max}).
     */
    private void drain() {
        while (!owed.isEmpty()) {
            Alert a = repository.findById(owed.peek()).orElse(null);
            if (a == null || !Alert.RETRYING.equals(a.getMailStatus())) {
                owed.poll();
                continue;
            }
            try {
                SimpleMailMessage m = new SimpleMailMessage();
                m.setFrom(properties.from());
                m.setTo(properties.recipients().toArray(String[]::new));
                m.setSubject(a.title(serverName));
                m.setText(body(a));
                sender.send(m);
                a.mailed(clock.instant());
                repository.save(a);
                owed.poll();
                wait = properties.retryInitial();
            } catch (RuntimeException e) {
                String error = oneLine(e);
                boolean giveUp = a.getMailAttempts() + 1 >= properties.maxAttempts();
                a.attemptFailed(error, giveUp);
                repository.save(a);
                if (giveUp) {
                    owed.poll();
                    log.error("alert {} not mailed after {} attempts: {}", a.getId(), a.getMailAttempts(), error);
                    continue;
                }
                log.warn(
                        "alert {} not mailed (attempt {}), retrying in {}: {}",
                        a.getId(),
                        a.getMailAttempts(),
                        wait,
                        error);
                retryIn(wait);
                Duration doubled = wait.multipliedBy(2);
                wait = doubled.compareTo(properties.retryMax()) > 0 ? properties.retryMax() : doubled;
                return;
            }
        }
    }

    /** What went wrong, on one line: the innermost cause's message, for the dashboard. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        if (e instanceof org.springframework.mail.MailSendException send
                && !send.getFailedMessages().isEmpty()) {
            root = send.getFailedMessages().values().iterator().next();
        }
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    private String body(Alert a) {
        return String.join(
                "\n",
                a.getSubject() + " went from " + a.getFromState() + " to " + a.getToState() + ".",
                "",
                a.getDetail(),
                "",
                "Time: " + Lines.timestamp(a.getRaisedAt()),
                "Gateway: " + serverName,
                "",
                "The dashboard's Alerts page lists every alert; its Clients page shows each client's round trip.");
    }
}
