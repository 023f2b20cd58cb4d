-- A change of state the operator is told about: the gateway's own round trip,
-- or a watched client's latency. mail_status: sent, retrying, failed, or off
-- (no recipients configured); mail_error is the last SMTP failure.
CREATE TABLE alerts (
    id              BIGINT AUTO_INCREMENT    NOT NULL PRIMARY KEY,
    raised_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    subject         VARCHAR(64)              NOT NULL,
    from_state      VARCHAR(20)              NOT NULL,
    to_state        VARCHAR(20)              NOT NULL,
    detail          VARCHAR(500)             NOT NULL,
    mail_status     VARCHAR(20)              NOT NULL,
    mail_attempts   INT                      NOT NULL DEFAULT 0,
    mail_error      VARCHAR(500),
    mailed_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX alerts_raised ON alerts (raised_at);
