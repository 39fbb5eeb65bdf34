-- One order, one commit, against Orderflow's real schema: the order header, 3 lines, 3 rows of the
-- reservation ledger and 1 outbox event, each table written by its own statement as the service
-- does, then COMMIT (synchronous_commit=on: the commit waits for the WAL flush). This is the
-- "one commit per order" ceiling issue 7 measures the service against: run by bench.sh as
--   pgbench -n -M prepared -c 32 -j 2 -T 30 -f order-commit.sql
-- in a scratch database holding the same schema (pg_dump --schema-only of the service's).
--
-- The order id is time-ordered like the service's UUIDv7 (the transaction's start in ms, then
-- random bits), so the primary-key indexes grow at their right edge as they do in production.
\set r random(1, 9223372036854775806)
\set s1 random(1, 10000)
\set s2 random(1, 10000)
\set s3 random(1, 10000)
\set q1 random(1, 3)
\set q2 random(1, 3)
\set q3 random(1, 3)
BEGIN;
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
COMMIT;
