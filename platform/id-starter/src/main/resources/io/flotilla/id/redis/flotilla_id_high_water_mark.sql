-- The high-water marks of flotilla-id-spring-boot-starter's RedisIdGenerator with flotilla.id.redis.mark-store=jdbc
-- (PostgreSQL, MariaDB/MySQL, H2): per counter, a value no id at or below which may be issued again.
CREATE TABLE flotilla_id_high_water_mark (
    name VARCHAR(128) NOT NULL PRIMARY KEY,
    mark BIGINT       NOT NULL
);
