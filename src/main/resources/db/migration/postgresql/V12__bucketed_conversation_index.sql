-- HISTORY's index, partitioned by time (PostgreSQL: the generated column is STORED,
-- its only kind). An index keyed by conversation first
-- put every message at a random leaf page, and with WRITE_DELAY=0 each commit
-- rewrote one 16 KB page per message (docs/performance.md). Keyed by
-- (bucket, conversation, id), where a bucket is 4096 consecutive message ids,
-- new entries fall within the newest bucket's few pages, which one commit
-- rewrites once for all its messages. HISTORY walks the buckets newest first
-- (one index seek each) until it has enough messages.
ALTER TABLE messages ADD COLUMN bucket BIGINT GENERATED ALWAYS AS (id / 4096) STORED;
DROP INDEX messages_conversation;
CREATE INDEX messages_conversation ON messages (bucket, conversation, id);
