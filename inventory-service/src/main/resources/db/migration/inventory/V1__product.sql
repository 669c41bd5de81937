-- Stock per product: `available` can be sold, `frozen` is held by reservations that are not yet confirmed.
-- The CHECKs are the last line of defence against overselling; every update is also conditional.
CREATE TABLE product (
    sku         VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    price_cents BIGINT       NOT NULL CHECK (price_cents >= 0),
    available   INTEGER      NOT NULL CHECK (available >= 0),
    frozen      INTEGER      NOT NULL CHECK (frozen >= 0)
);
