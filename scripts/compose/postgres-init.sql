-- Run once by the postgres image on its first start (docker-compose.yml): one database per shop service.
CREATE DATABASE inventory OWNER flotilla;
CREATE DATABASE orders OWNER flotilla;
