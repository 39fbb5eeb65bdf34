-- What PostgreSQL holds after a benchmark run, for bench.sh: the run's orders by channel and
-- status, and the stock invariant (reserved <= on-hand) on every SKU of the run's warehouse.
--   psql -v warehouse=PB-1 -f after-run.sql
\set ON_ERROR_STOP on
\pset footer off
SELECT channel, status, count(*) AS orders
FROM orders WHERE warehouse = :'warehouse' GROUP BY channel, status ORDER BY channel, status;
SELECT count(*) AS skus_checked,
       count(*) FILTER (WHERE coalesce(r.reserved, 0) > s.on_hand) AS oversold_skus,
       coalesce(sum(r.reserved), 0) AS units_reserved
FROM stock_item s
LEFT JOIN (SELECT sku, sum(reserved) AS reserved FROM order_line
           WHERE warehouse = :'warehouse' AND reserved > 0 GROUP BY sku) AS r ON r.sku = s.sku
WHERE s.warehouse = :'warehouse';
