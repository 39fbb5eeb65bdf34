-- What the engine did with one LifecycleSimulation run (psql -v warehouse=...): end-to-end
-- throughput (accepted -> completed) and the time from 201 to RELEASED, from the orders' events.
\set ON_ERROR_STOP on
WITH run AS (
    SELECT o.id, o.status,
           min(e.created_at) FILTER (WHERE e.type = 'order.accepted')  AS accepted,
           min(e.created_at) FILTER (WHERE e.type = 'order.released')  AS released,
           min(e.created_at) FILTER (WHERE e.type = 'order.completed') AS completed
    FROM orders o JOIN order_event e ON e.order_id = o.id
    WHERE o.warehouse = :'warehouse'
    GROUP BY o.id, o.status
)
SELECT count(*)                                                         AS orders,
       count(completed)                                                 AS completed,
       count(*) FILTER (WHERE status = 'EXCEPTION')                     AS in_exception,
       round(count(completed) / nullif(extract(epoch FROM max(completed) - min(accepted)), 0), 1)
                                                                        AS completed_per_second,
       round(percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM released - accepted) * 1000)::numeric, 1)
                                                                        AS released_p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM released - accepted) * 1000)::numeric, 1)
                                                                        AS released_p99_ms,
       round(percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM completed - accepted) * 1000)::numeric, 0)
                                                                        AS completed_p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed - accepted) * 1000)::numeric, 0)
                                                                        AS completed_p99_ms
FROM run;
