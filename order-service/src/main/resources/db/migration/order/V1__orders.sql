-- An order is written PENDING (keyed by its Idempotency-Key) before any stock is touched, and settled to
-- CONFIRMED or CANCELLED afterwards. The unique key is what makes two copies of one request one order,
-- even on two replicas at once. `xid` is the global transaction that took the stock: a PENDING order left by a
-- crash is settled by asking the coordinator what became of it.
CREATE TABLE orders (
    order_id        BIGINT                   NOT NULL PRIMARY KEY,
    idempotency_key VARCHAR(200)             NOT NULL UNIQUE,
    user_id         VARCHAR(64)              NOT NULL,
    sku             VARCHAR(64)              NOT NULL,
    quantity        INTEGER                  NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    mode            VARCHAR(8)               NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    total_cents     BIGINT                   NOT NULL,
    reason          VARCHAR(500),
    xid             VARCHAR(128),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX orders_by_user ON orders (user_id, created_at);
CREATE INDEX orders_by_status ON orders (status, created_at);
