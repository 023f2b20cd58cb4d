package io.chatmsg.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's inbox, the stream every node reads and the control stream with
 * one blocking {@code XREAD} on a connection of its own, on one thread, from the last
 * entry it saw of each. Entries of the three are handled in the order of their ids
 * (Redis' clock), so a sender's broadcast and direct message keep their order.
 *
 * <p>Supervised: a failure (Redis away, a timeout) is logged once per outage, and the
 * loop goes on from the same ids once a read works again; {@code onRecovered} runs then.
 */
final class StreamReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
    private static final Duration BLOCK = Duration.ofSeconds(1);

    private final RedisBus bus;
    private final String[] streams;
    private final String[] lastIds;
    private final List<Consumer<Map<String, String>>> handlers;
    private final Runnable onRecovered;
    private volatile boolean running = true;
    private volatile Thread thread;

    /** {@code streams[i]}'s entries go to {@code handlers.get(i)}, from the entries written after start. */
    StreamReader(
            RedisBus bus, List<String> streams, List<Consumer<Map<String, String>>> handlers, Runnable onRecovered) {
        this.bus = bus;
        this.streams = streams.toArray(String[]::new);
        this.lastIds = new String[this.streams.length];
        java.util.Arrays.fill(lastIds, "$");
        this.handlers = handlers;
        this.onRecovered = onRecovered;
    }

    void start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        StatefulRedisConnection<String, String> connection = null;
        boolean failing = false;
        while (running) {
            try {
                if (connection == null) {
                    connection = bus.connectAnother();
                    connection.setTimeout(BLOCK.plusSeconds(5));
                    resolveStart(connection);
                }
                List<StreamMessage<String, String>> got = read(connection);
                if (failing) {
                    failing = false;
                    log.info("reading the cluster's streams again");
                    onRecovered.run();
                }
                got.sort(Comparator.comparing(m -> EntryId.of(m.getId())));
                for (StreamMessage<String, String> m : got) {
                    handle(m);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    failing = true;
                    log.warn("cannot read the cluster's streams ({}); trying again every second", e.toString());
                }
                if (connection != null) {
                    connection.closeAsync();
                    connection = null;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
        if (connection != null) {
            connection.closeAsync();
        }
    }

    /** "$" (from now on) becomes the id of the last entry now, so that no later entry is missed across retries. */
    private void resolveStart(StatefulRedisConnection<String, String> c) {
        for (int i = 0; i < streams.length; i++) {
            if ("$".equals(lastIds[i])) {
                List<StreamMessage<String, String>> last = c.sync()
                        .xrevrange(streams[i], io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(1));
                lastIds[i] = last.isEmpty() ? "0-0" : last.get(0).getId();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<StreamMessage<String, String>> read(StatefulRedisConnection<String, String> c) {
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[streams.length];
        for (int i = 0; i < streams.length; i++) {
            offsets[i] = XReadArgs.StreamOffset.from(streams[i], lastIds[i]);
        }
        List<StreamMessage<String, String>> got =
                new ArrayList<>(c.sync().xread(XReadArgs.Builder.block(BLOCK).count(1000), offsets));
        for (StreamMessage<String, String> m : got) {
            for (int i = 0; i < streams.length; i++) {
                if (streams[i].equals(m.getStream())) {
                    lastIds[i] = m.getId();
                }
            }
        }
        return got;
    }

    private void handle(StreamMessage<String, String> m) {
        for (int i = 0; i < streams.length; i++) {
            if (streams[i].equals(m.getStream())) {
                try {
                    handlers.get(i).accept(m.getBody());
                } catch (RuntimeException e) {
                    log.warn("cluster event {} of {} not handled: {}", m.getId(), m.getStream(), e.toString());
                }
            }
        }
    }

    /** A stream entry id, {@code millis-sequence}, ordered as Redis orders them. */
    record EntryId(long millis, long sequence) implements Comparable<EntryId> {
        static EntryId of(String id) {
            int dash = id.indexOf('-');
            return new EntryId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
        }

        @Override
        public int compareTo(EntryId o) {
            int c = Long.compare(millis, o.millis);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
