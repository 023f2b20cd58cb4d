-- Per-client, per-minute traffic, kept across restarts for charts and "top
-- talkers". Rows are added to (MERGE) every few seconds from the live
-- counters; old minutes are deleted after chat.traffic.retention.
CREATE TABLE traffic_minutes (
    client_key   VARCHAR(32)              NOT NULL,
    minute_start TIMESTAMP WITH TIME ZONE NOT NULL,
    client_id    VARCHAR(32)              NOT NULL,
    bytes_in     BIGINT                   NOT NULL,
    bytes_out    BIGINT                   NOT NULL,
    messages_in  BIGINT                   NOT NULL,
    messages_out BIGINT                   NOT NULL,
    PRIMARY KEY (client_key, minute_start)
);

CREATE INDEX traffic_minutes_minute ON traffic_minutes (minute_start);
