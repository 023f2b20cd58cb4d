-- The offline queue moves out of the messages table's indexes: an index on
-- (recipient_key, status, id) put every message, delivered or not, at a random
-- place in a B-tree, and with WRITE_DELAY=0 each commit rewrote those pages
-- (docs/performance.md). Only queued messages have a row here, removed when
-- they are delivered; the message itself stays in messages (status 'queued'
-- until then).
CREATE TABLE queued_messages (
    id            BIGINT      NOT NULL PRIMARY KEY,
    recipient_key VARCHAR(32) NOT NULL
);
CREATE INDEX queued_messages_recipient ON queued_messages (recipient_key, id);
INSERT INTO queued_messages (id, recipient_key) SELECT id, recipient_key FROM messages WHERE status = 'queued';
DROP INDEX messages_queued;
