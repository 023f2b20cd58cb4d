-- The dashboard's message search (admin.AdminQueries) asks for
-- lower(text) LIKE '%words%' ESCAPE '\': no B-tree helps with a pattern that
-- starts with %, so without this every search read the whole table. A GIN
-- index of the trigrams of lower(text) (pg_trgm) answers LIKE with any
-- pattern of three characters or more; its expression must stay the one the
-- search uses. pg_trgm is a trusted extension: the database's owner may create
-- it. H2 has no such index and keeps scanning (docs/performance.md).
--
-- fastupdate (the default, said here because the write path depends on it):
-- a commit appends its rows' trigrams to the index's pending list, merged
-- into the index in bulk by autovacuum or once the list passes
-- gin_pending_list_limit, instead of updating a posting tree per trigram.
--
-- STATISTICS 1000: ANALYZE keeps a 1,000-entry histogram of lower(text), from
-- which the planner tells a rare word (use this index, sort the few matches)
-- from a common one (walk the primary key backwards, stop after a page). With
-- the default 100 it guessed 1% for every word and walked the primary key for
-- rare ones too, reading a hundred thousand rows for a page.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX messages_text_trgm ON messages USING gin (lower(text) gin_trgm_ops) WITH (fastupdate = on);
ALTER INDEX messages_text_trgm ALTER COLUMN 1 SET STATISTICS 1000;
-- Now, not when autovacuum next analyzes (after a tenth of the table has changed):
-- until then the planner would know nothing of lower(text). Seconds per million messages.
ANALYZE messages;
