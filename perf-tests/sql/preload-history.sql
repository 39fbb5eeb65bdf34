-- One chunk of order history (orders :from to :to of :total), written straight into Orderflow's
-- schema: what years of trading leave behind, so a benchmark can show that intake does not slow
-- down as the tables grow. Run by bench.sh --preload N (millions), chunk after chunk, with the
-- service stopped; preload-finish.sql then settles the stock ledger, the outbox cursor and the
-- statistics.
--
-- Each order is COMPLETED: 3 lines shipped and invoiced in full (nothing reserved, so the stock
-- invariants hold: reserved <= on-hand, and Redis's available == on-hand - open reservations),
-- a RESERVE and a SHIP row per line in the reservation ledger, its accepted and completed events,
-- and its credit check, fulfillment and invoice steps (SUCCEEDED). Orders of the last 23 hours keep
-- their idempotency record, as the service keeps them for 24 hours. Times spread evenly over the
-- :days days before the last hour; ids are time-ordered like the service's UUIDv7, so new orders
-- land at the right edge of the indexes, as in production. Channel "history", warehouse
-- :warehouse (SKU-00001 ... SKU-<skus>). Not written: shipments and invoices (no intake path
-- reads or writes them).
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE history ON COMMIT DROP AS
SELECT i, ts,
       lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(i % 4096), 3, '0') AS stamp,
       'SKU-' || lpad((1 + (i * 7) % :skus)::text, 5, '0') AS sku1,
       'SKU-' || lpad((1 + (i * 7 + 3331) % :skus)::text, 5, '0') AS sku2,
       'SKU-' || lpad((1 + (i * 7 + 6661) % :skus)::text, 5, '0') AS sku3,
       1 + i % 3 AS q1, 1 + (i / 3) % 3 AS q2, 1 + (i / 9) % 3 AS q3
FROM (SELECT i, now() - interval '1 hour' - interval '1 day' * :days * ((:total - i)::float8 / :total) AS ts
      FROM generate_series(:from::bigint, :to::bigint) AS i) AS g;
ALTER TABLE history ADD COLUMN id uuid;
UPDATE history SET id = (stamp || '8' || lpad(to_hex(i), 15, '0'))::uuid;

INSERT INTO orders (id, channel, external_ref, customer_id, currency, warehouse, fulfillment_policy, invoicing_policy, status,
                    total, ship_to, created_by, created_at, updated_at, event_seq, needs_approval, origin)
SELECT id, 'history', 'H-' || i, 'C-' || (i % 5000), 'USD', :'warehouse', 'SHIP_PARTIAL', 'ON_SHIPMENT', 'COMPLETED',
       (q1 + q2 + q3) * 12.50, NULL, 'perf-history', ts, ts + interval '1 hour', 2, false, NULL
FROM history;

INSERT INTO order_line (order_id, line_no, warehouse, sku, quantity, unit_price, discount_percent, reserved, backordered,
                        shipped, invoiced)
SELECT id, l.n, :'warehouse', l.sku, l.q, 12.50, 0, 0, 0, l.q, l.q
FROM history, LATERAL (VALUES (1, sku1, q1), (2, sku2, q2), (3, sku3, q3)) AS l(n, sku, q);

INSERT INTO reservation_movement (reservation_id, order_id, line_no, warehouse, sku, kind, quantity, created_at)
SELECT id, id, l.n, :'warehouse', l.sku, k.kind, k.sign * l.q, ts + k.after
FROM history, LATERAL (VALUES (1, sku1, q1), (2, sku2, q2), (3, sku3, q3)) AS l(n, sku, q),
     LATERAL (VALUES ('RESERVE', 1, interval '0'), ('SHIP', -1, interval '30 minutes')) AS k(kind, sign, after);

INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)
SELECT (stamp || 'a' || lpad(to_hex(i * 4 + e.seq), 15, '0'))::uuid, id, e.seq, 'history', e.type, 'perf-history',
       CASE WHEN e.seq = 1
            THEN jsonb_build_object('orderId', id, 'externalRef', 'H-' || i, 'channel', 'history', 'status', e.status,
                                    'lines', jsonb_build_array(
                                        jsonb_build_object('lineNo', 1, 'sku', sku1, 'quantity', q1, 'reserved', q1, 'backordered', 0),
                                        jsonb_build_object('lineNo', 2, 'sku', sku2, 'quantity', q2, 'reserved', q2, 'backordered', 0),
                                        jsonb_build_object('lineNo', 3, 'sku', sku3, 'quantity', q3, 'reserved', q3, 'backordered', 0)))
            ELSE jsonb_build_object('orderId', id, 'externalRef', 'H-' || i, 'channel', 'history', 'status', e.status)
       END,
       ts + e.after
FROM history, LATERAL (VALUES (1, 'order.accepted', 'ACCEPTED', interval '0'),
                              (2, 'order.completed', 'COMPLETED', interval '1 hour')) AS e(seq, type, status, after);

INSERT INTO step (id, order_id, kind, state, attempts, next_attempt_at, payload, result, created_at, updated_at)
SELECT (stamp || 'b' || lpad(to_hex(i * 4 + s.n), 15, '0'))::uuid, id, s.kind, 'SUCCEEDED', 1, ts + s.after,
       jsonb_build_object('orderId', id), jsonb_build_object('outcome', 'history'), ts + s.after, ts + s.after
FROM history, LATERAL (VALUES (1, 'CREDIT_CHECK', interval '0'), (2, 'FULFILLMENT', interval '1 minute'),
                              (3, 'INVOICE', interval '40 minutes')) AS s(n, kind, after);

INSERT INTO idempotency_record (principal_id, key, request_hash, status, response, order_id, created_at)
SELECT '00000000-0000-7000-8000-00000000a11c', 'H-' || i, decode(md5('H-' || i), 'hex'), 201,
       '{"id":"' || id || '","status":"ACCEPTED"}', id, ts
FROM history
WHERE ts > now() - interval '23 hours';
COMMIT;
