-- Two-phase messages, producer side: one row per message, written in the producer's local transaction
-- (status COMMITTED), or by a check-back that found none (status ROLLED_BACK), so that the local transaction
-- can no longer commit its own: the primary key decides which came first.
CREATE TABLE flotilla_tx_message_barrier (
    xid        VARCHAR(128) NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    created_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (xid)
);
CREATE INDEX flotilla_tx_message_barrier_created ON flotilla_tx_message_barrier (created_at);

-- Receiver side: one row per message handled, in the same local transaction as the handler's work, so a
-- repeated delivery finds it and runs nothing.
CREATE TABLE flotilla_tx_message_received (
    message_id  VARCHAR(200) NOT NULL,
    receiver    VARCHAR(128) NOT NULL,
    received_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (message_id, receiver)
);
CREATE INDEX flotilla_tx_message_received_at ON flotilla_tx_message_received (received_at);

-- The outbox (flotilla.tx.messages.mode=outbox): one row per message, written in the producer's local
-- transaction; the relay publishes PENDING rows to the broker and marks them SENT once the broker confirmed.
CREATE TABLE flotilla_tx_outbox (
    id          VARCHAR(64)  NOT NULL,
    name        VARCHAR(128) NOT NULL,
    destination VARCHAR(512) NOT NULL,
    payload     CHARACTER LARGE OBJECT NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    attempts    INT          NOT NULL DEFAULT 0,
    created_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    sent_at     TIMESTAMP,
    PRIMARY KEY (id)
);
CREATE INDEX flotilla_tx_outbox_pending ON flotilla_tx_outbox (status, created_at);
