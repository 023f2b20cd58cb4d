-- Every operator action: dashboard and API logins (and failed ones), kicks, broadcasts.
CREATE TABLE audit_log (
    id         BIGINT AUTO_INCREMENT        NOT NULL PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE     NOT NULL,
    operator   VARCHAR(100)                 NOT NULL,
    action     VARCHAR(40)                  NOT NULL,
    details    VARCHAR(2000),
    remote     VARCHAR(64)
);

CREATE INDEX audit_log_at ON audit_log (at);
