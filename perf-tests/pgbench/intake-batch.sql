-- One batch of intake as the service stores it: one call of intake_store (V7__intake_store.sql)
-- with :k orders of 3 lines each, their idempotency records, ledger rows, first events and first
-- steps, in warehouse PGBENCH (never loaded, so generation 0 is current). The arrays the service
-- binds as parameters are built here, which costs PostgreSQL a little more than binding them.
-- pgbench-batches.sh runs it with -D k=1, 2, 4 ... to find what a stored order costs PostgreSQL
-- as batches grow.
WITH o AS (
    SELECT g, gen_random_uuid() AS id, 'PB-' || gen_random_uuid() AS key FROM generate_series(1, :k) g
), l AS (
    SELECT o.g, o.id, n, 'SKU-' || lpad((1 + floor(random() * 10000))::int::text, 5, '0') AS sku,
           (1 + floor(random() * 3))::int AS q
    FROM o, generate_series(1, 3) n
)
SELECT (intake_store('PGBENCH', 0, 1000, now(),
    (SELECT array_agg(id ORDER BY g) FROM o),
    (SELECT array_agg('00000000-0000-7000-8000-000000000001'::uuid) FROM o),
    (SELECT array_agg(key ORDER BY g) FROM o),
    (SELECT array_agg(md5(key) || md5(key) ORDER BY g) FROM o),
    (SELECT array_agg(repeat('x', 600)) FROM o),
    (SELECT array_agg('pgbench'::text) FROM o),
    (SELECT array_agg(key ORDER BY g) FROM o),
    (SELECT array_agg('C-1'::text) FROM o),
    (SELECT array_agg('USD'::text) FROM o),
    (SELECT array_agg('PGBENCH'::text) FROM o),
    (SELECT array_agg('SHIP_PARTIAL'::text) FROM o),
    (SELECT array_agg('ON_SHIPMENT'::text) FROM o),
    (SELECT array_agg('ACCEPTED'::text) FROM o),
    (SELECT array_agg('75.00'::text) FROM o),
    (SELECT array_agg(NULL::text) FROM o),
    (SELECT array_agg('perf-pgbench'::text) FROM o),
    (SELECT array_agg(false) FROM o),
    (SELECT array_agg(NULL::text) FROM o),
    (SELECT array_agg(gen_random_uuid()) FROM o),
    (SELECT array_agg('order.accepted'::text) FROM o),
    (SELECT array_agg(jsonb_build_object('orderId', id, 'externalRef', key, 'channel', 'pgbench', 'status', 'ACCEPTED',
        'lines', jsonb_build_array(jsonb_build_object('lineNo', 1, 'sku', 'SKU-00001', 'quantity', 2, 'reserved', 2, 'backordered', 0),
                                   jsonb_build_object('lineNo', 2, 'sku', 'SKU-00002', 'quantity', 2, 'reserved', 2, 'backordered', 0),
                                   jsonb_build_object('lineNo', 3, 'sku', 'SKU-00003', 'quantity', 2, 'reserved', 2, 'backordered', 0)))::text ORDER BY g) FROM o),
    (SELECT array_agg(now()) FROM o),
    (SELECT array_agg(id ORDER BY g, n) FROM l),
    (SELECT array_agg(n ORDER BY g, n) FROM l),
    (SELECT array_agg('PGBENCH'::text) FROM l),
    (SELECT array_agg(sku ORDER BY g, n) FROM l),
    (SELECT array_agg(q ORDER BY g, n) FROM l),
    (SELECT array_agg('12.50'::text) FROM l),
    (SELECT array_agg('0'::text) FROM l),
    (SELECT array_agg(q ORDER BY g, n) FROM l),
    (SELECT array_agg(0) FROM l),
    (SELECT array_agg(gen_random_uuid()) FROM o),
    (SELECT array_agg(id ORDER BY g) FROM o),
    (SELECT array_agg('CREDIT_CHECK'::text) FROM o),
    (SELECT array_agg(jsonb_build_object('orderId', id, 'customerId', 'C-1', 'amount', '75.00', 'currency', 'USD')::text ORDER BY g) FROM o)
)).is_current;
