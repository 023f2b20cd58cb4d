-- Message and session ids come from sequences, a block at a time: each nextval
-- reserves INCREMENT BY ids for the process that took it (store.IdBlocks), so
-- several processes on one database never hand out the same id. Both start past
-- the ids already used.
CREATE SEQUENCE message_ids START WITH (SELECT COALESCE(MAX(id), 0) + 1 FROM messages) INCREMENT BY 1000;
CREATE SEQUENCE session_ids START WITH (SELECT COALESCE(MAX(id), 0) + 1 FROM sessions) INCREMENT BY 100;
