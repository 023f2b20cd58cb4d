-- Bans: of an id (value is the folded id) or of an address or CIDR range.
-- expires_at null: until lifted.
CREATE TABLE bans (
    id          BIGINT AUTO_INCREMENT    NOT NULL PRIMARY KEY,
    kind        VARCHAR(10)              NOT NULL,
    ban_value   VARCHAR(64)              NOT NULL,
    reason      VARCHAR(200)             NOT NULL,
    created_by  VARCHAR(100)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT bans_unique UNIQUE (kind, ban_value)
);
