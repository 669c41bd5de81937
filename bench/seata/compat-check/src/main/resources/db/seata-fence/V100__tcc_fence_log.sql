-- Seata's TCC fence table (useTCCFence = true), as Seata documents it; on Flotilla the fence table is the starter's.
CREATE TABLE tcc_fence_log (
    xid          VARCHAR(128) NOT NULL,
    branch_id    BIGINT       NOT NULL,
    action_name  VARCHAR(64)  NOT NULL,
    status       SMALLINT     NOT NULL,
    gmt_create   TIMESTAMP(3) NOT NULL,
    gmt_modified TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (xid, branch_id)
);
