-- The node that holds each session (chat.cluster.node-id). Several gateway
-- nodes share one database in cluster mode: a node restarting after a crash
-- closes only its own sessions left open, and a surviving node closes a dead
-- node's sessions (end reason 'node lost'). Older rows keep NULL.
ALTER TABLE sessions ADD COLUMN node VARCHAR(64);
