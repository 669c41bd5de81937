CREATE TABLE transfer (
    id         VARCHAR(64) PRIMARY KEY,
    from_owner VARCHAR(64) NOT NULL,
    to_owner   VARCHAR(64) NOT NULL,
    amount     BIGINT NOT NULL
);
