-- After the history chunks (preload-history.sql): the history warehouse's stock items with a
-- stock ledger that adds up (per SKU, a RECEIPT of every unit the history shipped, then the
-- SHIPMENTs, leaving on-hand at 0); the webhook fan-out's outbox cursor moved past the history's
-- events, as a fan-out that kept up would have it; then VACUUM ANALYZE, so autovacuum does not
-- wake up in the middle of the measurement and the planner knows the tables' sizes.
\set ON_ERROR_STOP on
BEGIN;
DELETE FROM stock_movement WHERE warehouse = :'warehouse';
DELETE FROM stock_item WHERE warehouse = :'warehouse';
INSERT INTO stock_item (warehouse, sku, on_hand, updated_at)
SELECT :'warehouse', 'SKU-' || lpad(n::text, 5, '0'), 0, now() FROM generate_series(1, :skus) AS n;
INSERT INTO stock_movement (warehouse, sku, kind, quantity, on_hand_after, reason, reference, actor, created_at)
SELECT :'warehouse', sku, kind, quantity, after, NULL, 'bench.sh history', 'perf-history', at
FROM (SELECT sku, sum(shipped) AS units, min(o.created_at) AS first, max(o.created_at) AS last
      FROM order_line l JOIN orders o ON o.id = l.order_id
      WHERE l.warehouse = :'warehouse' GROUP BY sku) AS shipped,
     LATERAL (VALUES ('RECEIPT', units, units, first - interval '1 day'), ('SHIPMENT', -units, 0, last)) AS m(kind, quantity, after, at);
INSERT INTO outbox_cursor (name, tx_id, seq)
SELECT 'webhook-fan-out', tx_id, seq FROM order_event ORDER BY tx_id DESC, seq DESC LIMIT 1
ON CONFLICT (name) DO UPDATE SET tx_id = excluded.tx_id, seq = excluded.seq;
COMMIT;
VACUUM (ANALYZE) orders, order_line, reservation_movement, order_event, step, idempotency_record, stock_item, stock_movement;
SELECT 'orders' AS "table", count(*) AS "rows" FROM orders
UNION ALL SELECT 'order_line', count(*) FROM order_line
UNION ALL SELECT 'reservation_movement', count(*) FROM reservation_movement
UNION ALL SELECT 'order_event', count(*) FROM order_event
UNION ALL SELECT 'step', count(*) FROM step
UNION ALL SELECT 'idempotency_record', count(*) FROM idempotency_record
UNION ALL SELECT 'stock_movement', count(*) FROM stock_movement;
SELECT pg_size_pretty(pg_database_size(current_database())) AS "database size";
