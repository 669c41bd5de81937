-- Run once by the postgres image on its first start (docker-compose.yml): one database per service that keeps rows.
CREATE DATABASE inventory OWNER flotilla;
CREATE DATABASE orders OWNER flotilla;
CREATE DATABASE ids OWNER flotilla;
