-- A node's open sessions, found without reading every session ever recorded:
-- at its start (closing what it left open) and when another node closes a
-- dead node's sessions. Partial, so it holds only the few open sessions.
CREATE INDEX sessions_open_by_node ON sessions (node) WHERE disconnected_at IS NULL;
