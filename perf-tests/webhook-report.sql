-- Webhook deliveries of a run: how many, how fast, and the delay from the event's commit to its
-- delivery (psql -f). Run after the run's deliveries have settled.
SELECT count(*)                                                                   AS deliveries,
       count(*) FILTER (WHERE d.state = 'DELIVERED')                              AS delivered,
       round(count(*) FILTER (WHERE d.state = 'DELIVERED')
             / nullif(extract(epoch FROM max(d.delivered_at) - min(d.delivered_at)), 0), 1) AS delivered_per_second,
       round(percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM d.delivered_at - e.created_at) * 1000)::numeric, 1) AS delay_p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d.delivered_at - e.created_at) * 1000)::numeric, 1) AS delay_p99_ms,
       max(d.attempts)                                                            AS max_attempts
FROM webhook_delivery d JOIN order_event e ON e.id = d.event_id;
