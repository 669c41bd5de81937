CREATE TABLE wallet (
    owner     VARCHAR(64) PRIMARY KEY,
    available BIGINT NOT NULL CHECK (available >= 0),
    frozen    BIGINT NOT NULL DEFAULT 0 CHECK (frozen >= 0),
    incoming  BIGINT NOT NULL DEFAULT 0 CHECK (incoming >= 0)
);

INSERT INTO wallet (owner, available) VALUES ('alice', 1000), ('bob', 0), ('carol', 0);
