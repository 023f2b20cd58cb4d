package io.chatmsg.session;

/** What a round-trip time means, as the clients table, the alerts and {@code monitor} name it. */
public enum Latency {
    UNKNOWN("unknown"),
    NORMAL("normal"),
    SLOW("slow"),
    VERY_SLOW("very slow"),
    INACTIVE("inactive");

    private final String label;

    Latency(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
