-- Every id that ever logged in. id_key is the id folded to lower case (ids are
-- unique case-insensitively); display_id is the id as first registered.
CREATE TABLE users (
    id_key      VARCHAR(32)              NOT NULL PRIMARY KEY,
    display_id  VARCHAR(32)              NOT NULL,
    first_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen   TIMESTAMP WITH TIME ZONE NOT NULL
);
