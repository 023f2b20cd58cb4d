package io.chatmsg.ops;

import io.chatmsg.config.StartupProblem;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.ResolvableType;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * A failed start as the launcher reports it: one line of why (the log above it
 * has the details) and the exit status, 2 when a property value is the
 * problem (a usage error), else 1.
 */
public final class StartupFailures {

    private StartupFailures() {}

    public static int exitStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || webPortOutOfRange(t) != null) {
                return 2;
            }
            if (t instanceof StartupProblem p) {
                return p.isConfiguration() ? 2 : 1;
            }
        }
        return 1;
    }

    /** Why and what to do, in one line without the program's name. */
    public static String oneLine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                return bind(b);
            }
            if (t instanceof PortInUseException p) {
                return "server.port " + p.getPort() + " is already in use (is the gateway already running?); "
                        + "Stop what uses it, or set server.port.";
            }
        }
        FailureAnalysis ours = new StartupFailureAnalyzer().analyze(failure);
        if (ours != null) {
            return firstLine(ours.getDescription()) + "; " + firstLine(ours.getAction());
        }
        Throwable root = root(failure);
        return "cannot start: " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
    }

    /** The number in Tomcat's "port out of range:99999", or null. */
    static String webPortOutOfRange(Throwable t) {
        String m = t.getMessage();
        if (t instanceof IllegalArgumentException && m != null && m.startsWith("port out of range:")) {
            return m.substring("port out of range:".length()).trim();
        }
        return null;
    }

    private static String bind(BindException b) {
        if (b.getCause() instanceof BindValidationException v
                && !v.getValidationErrors().getAllErrors().isEmpty()) {
            ObjectError e = v.getValidationErrors().getAllErrors().get(0);
            if (e instanceof FieldError f) {
                return v.getValidationErrors().getName() + "." + f.getField() + "=" + f.getRejectedValue() + ": "
                        + f.getDefaultMessage();
            }
            return b.getName() + ": " + e.getDefaultMessage();
        }
        ConfigurationProperty p = b.getProperty();
        String setting = p == null ? b.getName().toString() : setting(p);
        return setting + ": not a valid " + typeName(b.getTarget().getType()) + " (" + firstLine(root(b).getMessage())
                + ")";
    }

    private static String setting(ConfigurationProperty p) {
        Origin origin = p.getOrigin();
        if (origin instanceof PropertySourceOrigin o
                && "commandLineArgs".equals(o.getPropertySource().getName())) {
            return "--" + p.getName() + "=" + p.getValue();
        }
        return p.getName() + "=" + p.getValue() + (origin == null ? "" : " (" + origin + ")");
    }

    private static String typeName(ResolvableType type) {
        Class<?> c = type.resolve();
        return c == null ? "value" : c.getSimpleName();
    }

    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static String firstLine(String s) {
        String m = String.valueOf(s);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
