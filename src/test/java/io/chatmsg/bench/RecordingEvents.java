package io.chatmsg.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The dialect tests' engine: writes down each event as a line of text. */
final class RecordingEvents implements Dialect.Events {

    final List<String> events = new ArrayList<>();

    /** Feeds {@code line} (without its line end) to {@code dialect} as read on {@code c} at time 7. */
    static List<String> read(Dialect dialect, Connection c, String line) {
        RecordingEvents r = new RecordingEvents();
        byte[] b = ("junk" + line + "junk").getBytes(StandardCharsets.UTF_8);
        dialect.line(c, b, 4, b.length - 4, 7, r);
        return r.events;
    }

    /** What the dialect has queued on {@code c}, as text. */
    static String written(Connection c) {
        return new String(c.out.array(), 0, c.out.position(), StandardCharsets.UTF_8);
    }

    static Connection connection(int index, String id) {
        return new Connection(index, id.getBytes(StandardCharsets.US_ASCII), null);
    }

    @Override
    public void loggedIn(Connection c) {
        events.add("loggedIn " + c.index);
    }

    @Override
    public void acknowledged(Connection c, long recipients, long now) {
        events.add("acknowledged " + c.index + " for " + recipients + " at " + now);
    }

    @Override
    public void refused(Connection c) {
        events.add("refused " + c.index);
    }

    @Override
    public void delivered(Connection c, byte[] b, int p, int e, long now) {
        events.add("delivered to " + c.index + " at " + now + ": " + new String(b, p, e - p, StandardCharsets.UTF_8));
    }

    @Override
    public void error() {
        events.add("error");
    }

    @Override
    public void fatal(String why) {
        events.add("fatal " + why);
    }

    @Override
    public void wrote(Connection c) {
        events.add("wrote " + c.index);
    }
}
