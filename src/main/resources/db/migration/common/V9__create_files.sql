-- Files sent with PUT (PROTOCOL.md section 6). The bytes live in
-- <data-dir>/files/<id>; a row exists only once they are complete and synced.
-- to_id is the recipient as displayed, or ALL. notified: the recipient has had
-- its FILE event (false while it waits for the recipient's next LOGIN).
CREATE TABLE files (
    id             VARCHAR(32)              NOT NULL PRIMARY KEY,
    from_id        VARCHAR(32)              NOT NULL,
    from_key       VARCHAR(32)              NOT NULL,
    to_id          VARCHAR(32)              NOT NULL,
    to_key         VARCHAR(32)              NOT NULL,
    name           VARCHAR(1024)            NOT NULL,
    size_bytes     BIGINT                   NOT NULL,
    sha256         VARCHAR(64)               NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    notified       BOOLEAN                  NOT NULL,
    downloads      INT                      NOT NULL DEFAULT 0,
    downloaded_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX files_to_pending ON files (to_key, notified);
CREATE INDEX files_from ON files (from_key);
CREATE INDEX files_created ON files (created_at);
