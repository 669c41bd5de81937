CREATE TABLE transfer (
    id         BIGINT PRIMARY KEY,
    from_owner VARCHAR(64) NOT NULL,
    to_owner   VARCHAR(64) NOT NULL,
    amount     BIGINT NOT NULL
);
