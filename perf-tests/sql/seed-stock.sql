-- Stocks a fresh warehouse with SKU-00001 ... SKU-<skus>, :on_hand units each, as PUT
-- /v1/inventory/{warehouse}/{sku} would (a stock item and a COUNT row in the stock ledger), in one
-- statement instead of 10,000 requests. The warehouse must not be loaded in Redis yet: the first
-- order loads it from these rows (StockRebuilder), so PostgreSQL and Redis agree from the start.
--   psql -v warehouse=PB-1 -v skus=10000 -v on_hand=1000000 -f seed-stock.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO stock_item (warehouse, sku, on_hand, updated_at)
SELECT :'warehouse', 'SKU-' || lpad(n::text, 5, '0'), :on_hand, now()
FROM generate_series(1, :skus) AS n;
INSERT INTO stock_movement (warehouse, sku, kind, quantity, on_hand_after, reason, reference, actor, created_at)
SELECT :'warehouse', 'SKU-' || lpad(n::text, 5, '0'), 'COUNT', :on_hand, :on_hand, 'CYCLE_COUNT', 'bench.sh seed', 'perf-bench', now()
FROM generate_series(1, :skus) AS n;
COMMIT;
