-- Message and session ids come from sequences, a block at a time: each nextval
-- reserves INCREMENT BY ids for the process that took it (store.IdBlocks), so
-- several nodes on one database never hand out the same id. Both start past
-- the ids already used (setval's false: the next nextval returns that value).
CREATE SEQUENCE message_ids INCREMENT BY 1000;
CREATE SEQUENCE session_ids INCREMENT BY 100;
SELECT setval('message_ids', (SELECT COALESCE(MAX(id), 0) + 1 FROM messages), false);
SELECT setval('session_ids', (SELECT COALESCE(MAX(id), 0) + 1 FROM sessions), false);
