package io.chatmsg.bench;

import java.time.Duration;

/**
 * One run of the load generator: the options of {@code bench}
 * (docs/performance.md), checked by {@link #problem()} before anything runs.
 * An empty {@code idPrefix} gets a random tag per run (see {@link LoadGenerator}).
 */
public record BenchSettings(
        int port,
        Proto proto,
        Scenario scenario,
        int clients,
        int rate,
        int window,
        Duration duration,
        Duration warmup,
        int payload,
        int connecting,
        String idPrefix) {

    /** The names are the option values ({@code --proto irc}) and appear in the JSON line. */
    public enum Proto {
        chatmsg,
        irc
    }

    /** The names are the option values ({@code --scenario fanout}) and appear in the JSON line. */
    public enum Scenario {
        dm,
        fanout,
        connect,
        writepath,
        fill,
        search
    }

    /** The scenarios that open no chat connections. */
    boolean noClients() {
        return scenario == Scenario.writepath || scenario == Scenario.fill || scenario == Scenario.search;
    }

    /** Why these settings make no sense (one line, for {@code bench: <reason>}), or null. */
    public String problem() {
        if (port < 1 || port > 65535) {
            return "port must be from 1 to 65535, not " + port;
        }
        if (clients < 1 || clients > 200_000) {
            return "--clients must be from 1 to 200000, not " + clients;
        }
        if (scenario != Scenario.connect && !noClients() && clients < 2) {
            return "--scenario " + scenario + " needs at least 2 clients";
        }
        if (rate < 0) {
            return "--rate must be 0 (full speed) or more";
        }
        if (window < 1 || window > 100_000) {
            return "--window must be from 1 to 100000";
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(Duration.ofHours(24)) > 0) {
            return "--duration must be above 0 and at most 24h";
        }
        if (warmup.isNegative()) {
            return "--warmup must not be negative";
        }
        if (payload < 40 || payload > 3000) {
            return "--payload must be from 40 to 3000 bytes";
        }
        if (connecting < 1) {
            return "--connecting must be at least 1";
        }
        if (!idPrefix.matches("[A-Za-z][A-Za-z0-9]{0,15}|")) {
            return "--id-prefix must be a letter and up to 15 letters or digits";
        }
        return null;
    }

    BenchSettings withIdPrefix(String prefix) {
        return new BenchSettings(
                port, proto, scenario, clients, rate, window, duration, warmup, payload, connecting, prefix);
    }

    boolean fanout() {
        return scenario == Scenario.fanout;
    }
}
