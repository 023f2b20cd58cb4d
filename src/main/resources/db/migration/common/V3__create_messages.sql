-- The message log. Ids are assigned by the gateway before the row is written
-- (so the acknowledgement can name it), in increasing order.
-- conversation is 'all' for broadcasts, else the two folded ids sorted and
-- joined by a space: one indexed key for HISTORY in both directions.
CREATE TABLE messages (
    id            BIGINT                   NOT NULL PRIMARY KEY,
    sent_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    sender        VARCHAR(32)              NOT NULL,
    recipient     VARCHAR(32)              NOT NULL,
    sender_key    VARCHAR(32)              NOT NULL,
    recipient_key VARCHAR(32)              NOT NULL,
    conversation  VARCHAR(65)              NOT NULL,
    text          VARCHAR(1000000)         NOT NULL,
    status        VARCHAR(10)              NOT NULL,
    delivered_at  TIMESTAMP WITH TIME ZONE
);

CREATE INDEX messages_conversation ON messages (conversation, id);
CREATE INDEX messages_queued ON messages (recipient_key, status, id);
CREATE INDEX messages_sent_at ON messages (sent_at);
