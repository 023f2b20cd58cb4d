-- Operator broadcasts to send later (maintenance notices). The scheduler sends
-- each pending one when it is due, once, and records what happened.
CREATE TABLE scheduled_broadcasts (
    id                      BIGINT AUTO_INCREMENT    NOT NULL PRIMARY KEY,
    due_at                  TIMESTAMP WITH TIME ZONE NOT NULL,
    text                    VARCHAR(1000000)         NOT NULL,
    id_prefix               VARCHAR(32),
    address                 VARCHAR(64),
    transport               VARCHAR(8),
    min_messages_per_minute DOUBLE PRECISION,
    queue_offline           BOOLEAN                  NOT NULL,
    created_by              VARCHAR(100)             NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    status                  VARCHAR(10)              NOT NULL,
    message_id              BIGINT,
    recipients              INT,
    queued                  INT,
    outcome                 VARCHAR(500)
);

CREATE INDEX scheduled_broadcasts_due ON scheduled_broadcasts (status, due_at);
