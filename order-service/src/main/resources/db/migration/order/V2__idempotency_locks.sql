-- The Idempotency-Key locks (lock starter, flotilla.lock.backend=jdbc) live beside the orders they guard: taking
-- and releasing one is a statement each on this database instead of two replicated writes in the registry. The
-- starter's own table, as its README gives it for applications whose schema Flyway owns. A released lock keeps
-- its row (the row carries the name's fencing-token counter), so there is one row per key ever locked, as there
-- is one order.
CREATE TABLE IF NOT EXISTS flotilla_lock (
    name       VARCHAR(256) NOT NULL PRIMARY KEY,
    owner      VARCHAR(256),
    token      BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
);
