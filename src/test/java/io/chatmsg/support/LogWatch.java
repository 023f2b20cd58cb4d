package io.chatmsg.support;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Collects what the server logs that a person would call broken: anything at
 * ERROR, and any template failure whatever its level (a template that fails
 * after the response has started leaves the browser a truncated page, with
 * nothing else to show for it). Attached to the root logger while a test
 * class runs.
 */
public final class LogWatch extends AppenderBase<ILoggingEvent> {

    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    public static LogWatch attach() {
        LogWatch watch = new LogWatch();
        watch.setName("log-watch");
        watch.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        watch.start();
        root().addAppender(watch);
        return watch;
    }

    public void detach() {
        root().detachAppender(this);
        stop();
    }

    /** What was logged since the last call, and forget it. */
    public List<String> drain() {
        List<String> out = List.copyOf(problems);
        problems.clear();
        return out;
    }

    @Override
    protected void append(ILoggingEvent e) {
        String text = e.getFormattedMessage() + throwableText(e.getThrowableProxy());
        if (e.getLevel().isGreaterOrEqual(Level.ERROR) || text.contains("Exception processing template")) {
            problems.add(e.getLevel() + " " + e.getLoggerName() + ": " + text);
        }
    }

    private static String throwableText(IThrowableProxy t) {
        StringBuilder out = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            out.append(" | ").append(p.getClassName()).append(": ").append(p.getMessage());
        }
        return out.toString();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
