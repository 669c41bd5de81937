INSERT INTO product (sku, name, price_cents, available, frozen) VALUES
    ('FLT-MUG',     'Flotilla mug',            1299, 100, 0),
    ('FLT-TEE',     'Flotilla T-shirt',        2499,  50, 0),
    ('FLT-HOODIE',  'Flotilla hoodie',         5999,  20, 0),
    ('FLT-STICKER', 'Sticker pack',             499, 500, 0),
    ('FLT-CAP',     'Flotilla cap',            1999,  30, 0),
    ('RAFT-BOOK',   'Consensus, illustrated',  3999,  10, 0);
