-- Lock table of flotilla.lock.backend=jdbc (PostgreSQL). One row per lock name, kept after release: it carries the
-- name's fencing-token counter. expires_at is epoch milliseconds by the database's clock; 0 when free.
CREATE TABLE IF NOT EXISTS flotilla_lock (
    name       VARCHAR(256) NOT NULL PRIMARY KEY,
    owner      VARCHAR(256),
    token      BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
);
