-- One row per TCC branch, written in the same local transaction as the branch's business change.
-- status: TRIED, CONFIRMED or CANCELLED. token identifies the statement that created the row, so the
-- starter can tell "I inserted it" from "it was already there" without reading it first.
CREATE TABLE flotilla_tx_fence (
    xid        VARCHAR(128) NOT NULL,
    branch_id  VARCHAR(64)  NOT NULL,
    resource   VARCHAR(128) NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    token      VARCHAR(36)  NOT NULL,
    payload    CHARACTER LARGE OBJECT,
    created_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (xid, branch_id)
);
CREATE INDEX flotilla_tx_fence_created ON flotilla_tx_fence (created_at);
