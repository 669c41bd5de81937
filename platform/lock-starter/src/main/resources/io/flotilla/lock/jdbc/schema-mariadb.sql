-- Lock table of flotilla.lock.backend=jdbc (MariaDB). One row per lock name, kept after release: it carries the
-- name's fencing-token counter. expires_at is epoch milliseconds by the database's clock; 0 when free.
-- Binary collation: lock names are case-sensitive, as on every other backend.
CREATE TABLE IF NOT EXISTS flotilla_lock (
    name       VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    owner      VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    token      BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
) ENGINE = InnoDB;
