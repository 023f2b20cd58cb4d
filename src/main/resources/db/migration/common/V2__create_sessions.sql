-- One row per connection, from connect to close. client_id is the last id the
-- connection logged in as (null if it never did); end_reason says how it ended.
CREATE TABLE sessions (
    id              BIGINT                   NOT NULL PRIMARY KEY,
    remote_address  VARCHAR(64)              NOT NULL,
    transport       VARCHAR(8)               NOT NULL,
    client_id       VARCHAR(32),
    connected_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    disconnected_at TIMESTAMP WITH TIME ZONE,
    end_reason      VARCHAR(200),
    bytes_in        BIGINT                   NOT NULL DEFAULT 0,
    bytes_out       BIGINT                   NOT NULL DEFAULT 0,
    lines_in        BIGINT                   NOT NULL DEFAULT 0,
    lines_out       BIGINT                   NOT NULL DEFAULT 0,
    messages_in     BIGINT                   NOT NULL DEFAULT 0,
    messages_out    BIGINT                   NOT NULL DEFAULT 0
);

CREATE INDEX sessions_client_id ON sessions (client_id);
CREATE INDEX sessions_connected_at ON sessions (connected_at);
