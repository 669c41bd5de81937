-- The loyalty-points ledger: one entry per confirmed order (order-service's order-confirmed message), worth the
-- order's total in cents. The primary key is a second line of defence behind the message starter's duplicate check.
CREATE TABLE points_entries (
    order_id   BIGINT      NOT NULL PRIMARY KEY,
    user_id    VARCHAR(64) NOT NULL,
    points     BIGINT      NOT NULL,
    message_id VARCHAR(200) NOT NULL,
    created_at TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX points_entries_user ON points_entries (user_id);
