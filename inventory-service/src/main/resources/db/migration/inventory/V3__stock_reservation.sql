-- One row per reservation, keyed by the caller's reservation id. Inserting the row first is what makes
-- try, confirm and cancel safe to repeat and to reorder: a cancel with no try leaves a CANCELLED row with
-- no stock (empty rollback), and a try arriving after it hits the key and is refused (anti-suspension).
CREATE TABLE stock_reservation (
    reservation_id VARCHAR(128)             NOT NULL PRIMARY KEY,
    sku            VARCHAR(64),
    quantity       INTEGER                  NOT NULL CHECK (quantity >= 0),
    status         VARCHAR(16)              NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
