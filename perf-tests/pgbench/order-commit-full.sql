-- Everything the service's intake transaction does for one order today (OrderIntake.persist and
-- Orders.insert), one statement each: the shared warehouse lock, the generation, the idempotency
-- record, the header, 3 lines, 3 ledger rows, 1 outbox event and the first step (the credit
-- check), then COMMIT. Heavier than order-commit.sql (the issue's reference transaction); run it
-- with bench.sh --pgbench-script full to see what the service's own transaction costs at the
-- database when nothing else does.
\set r random(1, 9223372036854775806)
\set s1 random(1, 10000)
\set s2 random(1, 10000)
\set s3 random(1, 10000)
\set q1 random(1, 3)
\set q2 random(1, 3)
\set q3 random(1, 3)
BEGIN;
SELECT pg_advisory_xact_lock_shared(hashtextextended('stock:' || 'PGBENCH', 0));
SELECT generation FROM stock_generation WHERE warehouse = 'PGBENCH';
INSERT INTO idempotency_record (principal_id, key, request_hash, status, response, order_id, created_at)
VALUES ('00000000-0000-7000-8000-000000000001', 'PB-' || :r::bigint, decode(md5(:r::bigint::text), 'hex'), 201,
        repeat('x', 600),
        (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(:r::bigint % 4096), 3, '0') || '8'
         || lpad(to_hex(:r::bigint % 1152921504606846976), 15, '0'))::uuid, now());
INSERT INTO orders (id, channel, external_ref, customer_id, currency, warehouse, fulfillment_policy, invoicing_policy, status,
                    total, ship_to, created_by, created_at, updated_at, event_seq, needs_approval, origin)
VALUES ((lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(:r::bigint % 4096), 3, '0') || '8'
         || lpad(to_hex(:r::bigint % 1152921504606846976), 15, '0'))::uuid,
        'pgbench', 'PB-' || :r::bigint, 'C-' || (:r::bigint % 5000), 'USD', 'PGBENCH', 'SHIP_PARTIAL', 'ON_SHIPMENT', 'ACCEPTED',
        (:q1::int + :q2::int + :q3::int) * 12.50, NULL, 'perf-pgbench', now(), now(), 1, false, NULL);
INSERT INTO order_line (order_id, line_no, warehouse, sku, quantity, unit_price, discount_percent, reserved, backordered)
SELECT (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(:r::bigint % 4096), 3, '0') || '8'
        || lpad(to_hex(:r::bigint % 1152921504606846976), 15, '0'))::uuid, n, 'PGBENCH', 'SKU-' || lpad(s::text, 5, '0'), q, 12.50, 0, q, 0
FROM (VALUES (1, :s1::int, :q1::int), (2, :s2::int, :q2::int), (3, :s3::int, :q3::int)) AS t(n, s, q);
INSERT INTO reservation_movement (reservation_id, order_id, line_no, warehouse, sku, kind, quantity, created_at)
SELECT o, o, n, 'PGBENCH', 'SKU-' || lpad(s::text, 5, '0'), 'RESERVE', q, now()
FROM (SELECT (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(:r::bigint % 4096), 3, '0') || '8'
              || lpad(to_hex(:r::bigint % 1152921504606846976), 15, '0'))::uuid AS o) AS id,
     (VALUES (1, :s1::int, :q1::int), (2, :s2::int, :q2::int), (3, :s3::int, :q3::int)) AS t(n, s, q);
INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)
SELECT gen_random_uuid(), o, 1, 'pgbench', 'order.accepted', 'perf-pgbench',
       jsonb_build_object('orderId', o, 'externalRef', 'PB-' || :r::bigint, 'channel', 'pgbench', 'status', 'ACCEPTED',
                          'lines', jsonb_build_array(
                              jsonb_build_object('lineNo', 1, 'sku', 'SKU-' || lpad(:s1::int::text, 5, '0'), 'quantity', :q1::int, 'reserved', :q1::int, 'backordered', 0),
                              jsonb_build_object('lineNo', 2, 'sku', 'SKU-' || lpad(:s2::int::text, 5, '0'), 'quantity', :q2::int, 'reserved', :q2::int, 'backordered', 0),
                              jsonb_build_object('lineNo', 3, 'sku', 'SKU-' || lpad(:s3::int::text, 5, '0'), 'quantity', :q3::int, 'reserved', :q3::int, 'backordered', 0))),
       now()
FROM (SELECT (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(:r::bigint % 4096), 3, '0') || '8'
              || lpad(to_hex(:r::bigint % 1152921504606846976), 15, '0'))::uuid AS o) AS id;
INSERT INTO step (id, order_id, kind, state, next_attempt_at, payload, created_at, updated_at)
SELECT gen_random_uuid(), o, 'CREDIT_CHECK', 'PENDING', now(),
       jsonb_build_object('orderId', o, 'customerId', 'C-' || (:r::bigint % 5000), 'amount', '37.50', 'currency', 'USD'), now(), now()
FROM (SELECT (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(:r::bigint % 4096), 3, '0') || '8'
              || lpad(to_hex(:r::bigint % 1152921504606846976), 15, '0'))::uuid AS o) AS id;
COMMIT;
