-- The segment table of flotilla-id-spring-boot-starter's JdbcSegmentStore (PostgreSQL, MariaDB/MySQL, H2).
-- One row per tag: max_id is the largest id handed out in any segment so far, step the tag's segment size.
CREATE TABLE flotilla_id_segment (
    biz_tag VARCHAR(128) NOT NULL PRIMARY KEY,
    max_id  BIGINT       NOT NULL,
    step    BIGINT       NOT NULL
);
