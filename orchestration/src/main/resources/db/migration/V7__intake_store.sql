-- Intake stores a batch of reserved orders of one warehouse with one call of intake_store: the
-- warehouse's stock lock (shared), the generation check, the idempotency keys, the headers, lines,
-- reservation ledger, first events and first steps. Called on its own it is its own transaction:
-- one round trip in all, no BEGIN or COMMIT of their own; called inside a transaction (an EDI
-- interchange stored with its acknowledgement) the lock is held to that transaction's end.
--
-- Why a function rather than the same statements sent from the service: each statement sent costs
-- the service a request and a response through the driver (BEGIN, the lock, the insert and COMMIT
-- were four), and the driver tokenizes the SQL text of every statement on every execution, a
-- character at a time: for the 4 KB statement of CTEs this replaces, that was a quarter of all the
-- memory the service allocated per order (perf-tests/RESULTS.md). Here the service sends a short
-- call and PostgreSQL keeps the function's plans per connection.

-- intake_generation:
-- Takes the warehouse's stock lock shared (to the end of the transaction) and answers the
-- warehouse's generation (0 if it was never loaded) as committed once the lock was granted; or -1,
-- a generation no reservation has, if the wait for the lock took longer than p_wait_budget_ms.
--
-- The lock key must stay the one StockLock uses: hashtextextended('stock:' || warehouse, 0).
--
-- The budget: an order may only commit within its commit window (Reservations.COMMIT_WINDOW: past
-- it the sweeper may be releasing its units). The caller passes what is left of the window when it
-- sends the call. Only a duration on PostgreSQL's clock is compared, so the service's and
-- PostgreSQL's clocks need not agree.
CREATE FUNCTION intake_generation(p_warehouse text, p_wait_budget_ms bigint) RETURNS bigint
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('stock:' || p_warehouse, 0));
    IF clock_timestamp() - statement_timestamp() > p_wait_budget_ms * interval '1 millisecond' THEN
        RETURN -1;
    END IF;
    -- each query of a volatile function takes a new snapshot: this one sees the generation as
    -- committed after the lock was granted, not as it was when the call arrived
    RETURN COALESCE((SELECT generation FROM stock_generation WHERE warehouse = p_warehouse), 0);
END
$$;

-- intake_store:
-- Answers whether the generation was current (nothing is stored if not), the orders that took
-- their idempotency key and those stored: an order that took its key but not its external
-- reference is not stored and its key is given back.
CREATE FUNCTION intake_store(
    p_warehouse text, p_generation bigint, p_wait_budget_ms bigint, p_now timestamptz,
    -- one entry per order
    p_ids uuid[], p_principals uuid[], p_keys text[], p_hashes text[], p_responses text[],
    p_channels text[], p_refs text[], p_customers text[], p_currencies text[], p_warehouses text[],
    p_fulfillment text[], p_invoicing text[], p_statuses text[], p_totals text[], p_ship_tos text[],
    p_actors text[], p_approvals boolean[], p_origins text[],
    p_event_ids uuid[], p_event_types text[], p_event_data text[], p_event_times timestamptz[],
    -- one entry per order line
    p_line_orders uuid[], p_line_nos int[], p_line_warehouses text[], p_skus text[], p_quantities int[],
    p_prices text[], p_discounts text[], p_reserved int[], p_backordered int[],
    -- one entry per first step
    p_step_ids uuid[], p_step_orders uuid[], p_step_kinds text[], p_step_payloads text[],
    OUT is_current boolean, OUT keyed_ids uuid[], OUT stored_ids uuid[])
    LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    keyed_ids := ARRAY[]::uuid[];
    stored_ids := ARRAY[]::uuid[];
    is_current := intake_generation(p_warehouse, p_wait_budget_ms) = p_generation;
    IF NOT is_current THEN
        RETURN;
    END IF;

    WITH keyed AS (
        INSERT INTO idempotency_record (principal_id, key, request_hash, status, response, order_id, created_at)
        SELECT p, k, decode(h, 'hex'), 201, r, o, p_now
        FROM unnest(p_principals, p_keys, p_hashes, p_responses, p_ids) AS t(p, k, h, r, o)
        ON CONFLICT DO NOTHING
        RETURNING order_id
    )
    SELECT COALESCE(array_agg(order_id), ARRAY[]::uuid[]) INTO keyed_ids FROM keyed;

    WITH stored AS (
        INSERT INTO orders (id, channel, external_ref, customer_id, currency, warehouse, fulfillment_policy,
                            invoicing_policy, status, total, ship_to, created_by, created_at, updated_at, event_seq,
                            needs_approval, origin)
        SELECT i, ch, ref, cust, cur, wh, fp, ip, st, CAST(tot AS numeric), CAST(ship AS jsonb), who, p_now, p_now, 1, na,
               CAST(org AS jsonb)
        FROM unnest(p_ids, p_channels, p_refs, p_customers, p_currencies, p_warehouses, p_fulfillment, p_invoicing,
                    p_statuses, p_totals, p_ship_tos, p_actors, p_approvals, p_origins)
             AS t(i, ch, ref, cust, cur, wh, fp, ip, st, tot, ship, who, na, org)
        WHERE i = ANY(keyed_ids)
        ON CONFLICT (channel, external_ref) DO NOTHING
        RETURNING id
    )
    SELECT COALESCE(array_agg(id), ARRAY[]::uuid[]) INTO stored_ids FROM stored;

    IF cardinality(stored_ids) < cardinality(keyed_ids) THEN
        -- their external reference is taken: nothing of them may remain
        DELETE FROM idempotency_record WHERE order_id = ANY(keyed_ids) AND order_id <> ALL(stored_ids);
    END IF;

    INSERT INTO order_line (order_id, line_no, warehouse, sku, quantity, unit_price, discount_percent, reserved, backordered)
    SELECT o, n, wh, sku, q, CAST(price AS numeric), CAST(disc AS numeric), r, b
    FROM unnest(p_line_orders, p_line_nos, p_line_warehouses, p_skus, p_quantities, p_prices, p_discounts, p_reserved,
                p_backordered) AS t(o, n, wh, sku, q, price, disc, r, b)
    WHERE o = ANY(stored_ids);

    INSERT INTO reservation_movement (reservation_id, order_id, line_no, warehouse, sku, kind, quantity, created_at)
    SELECT o, o, n, wh, sku, 'RESERVE', q, p_now
    FROM unnest(p_line_orders, p_line_nos, p_line_warehouses, p_skus, p_reserved) AS t(o, n, wh, sku, q)
    WHERE q > 0 AND o = ANY(stored_ids);

    -- an order's first event is its sequence 1 (the header's event_seq), in its channel, by its actor
    INSERT INTO order_event (id, order_id, order_seq, channel, type, actor, data, created_at)
    SELECT i, o, 1, ch, ty, a, CAST(d AS jsonb), c
    FROM unnest(p_event_ids, p_ids, p_channels, p_event_types, p_actors, p_event_data, p_event_times)
         AS t(i, o, ch, ty, a, d, c)
    WHERE o = ANY(stored_ids);

    INSERT INTO step (id, order_id, kind, state, next_attempt_at, payload, created_at, updated_at)
    SELECT i, o, k, 'PENDING', p_now, CAST(p AS jsonb), p_now, p_now
    FROM unnest(p_step_ids, p_step_orders, p_step_kinds, p_step_payloads) AS t(i, o, k, p)
    WHERE o = ANY(stored_ids);
END
$$;
