-- The orders partitioning plan, as the migration it would be (NOT applied: not under db/migration).
-- Run it when one PostgreSQL's orders tables outgrow what vacuum and the indexes handle comfortably
-- (tens of millions of orders), as a Flyway migration, at a quiet time: the renames and the attach
-- take an ACCESS EXCLUSIVE lock for moments; the long steps (backfill, VALIDATE) lock nothing that
-- intake needs. Run against a copy of a real database: infra/README.md, "Validation".
--
-- Partition key: the order id. Ids are UUIDv7, whose first 48 bits are the creation time in ms, and
-- PostgreSQL compares uuids bytewise, so a range of ids IS a range of time. Partitioning orders,
-- order_line, step and order_event by the ORDER's id (monthly bounds) keeps every row of an order
-- in the same month's partitions: primary keys and (order_id, order_seq) stay unique without any
-- global index, lookups by order id prune to one partition, and a month is detached (archived) as
-- a whole. The outbox reader's (tx_id, seq) scans touch each attached partition's index; keep a
-- year or so attached.
--
-- What stays unpartitioned, and why:
--   order_ref (new)        (channel, external_ref) must be unique across all time; a partitioned
--                          table can only enforce uniqueness that includes the partition key
--   idempotency_record     a key must stay unique across any day boundary for 24 hours; small
--                          (one day of keys), purged by the existing job
--   stock_item, stock_generation, principal, webhook_subscription, outbox_cursor, edi_*:
--                          small, keyed by something other than time
--   webhook_delivery       a queue: keep it small by deleting DELIVERED rows after their log's
--                          retention instead (the partial indexes stay tiny either way)

BEGIN;

-- 1. Uniqueness of (channel, external_ref) moves to its own table, filled from orders.
CREATE TABLE order_ref (
    channel       text NOT NULL,
    external_ref  text NOT NULL,
    order_id      uuid NOT NULL,
    PRIMARY KEY (channel, external_ref)
);
INSERT INTO order_ref (channel, external_ref, order_id) SELECT channel, external_ref, id FROM orders;

-- 2. The present tables become the "legacy" partitions, covering every id below the cut-over.
--    The CHECK constraints, validated, let ATTACH skip its scan. The bound is the first id of the
--    month after the migration: 2027-01-01T00:00:00Z = 1798761600000 ms = 0x01a2ce8bd400, as a UUIDv7 prefix.
ALTER TABLE orders ADD CONSTRAINT orders_before_2027_01 CHECK (id < '01a2ce8b-d400-7000-8000-000000000000') NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_before_2027_01;
ALTER TABLE order_line ADD CONSTRAINT order_line_before_2027_01 CHECK (order_id < '01a2ce8b-d400-7000-8000-000000000000') NOT VALID;
ALTER TABLE order_line VALIDATE CONSTRAINT order_line_before_2027_01;
ALTER TABLE step ADD CONSTRAINT step_before_2027_01 CHECK (order_id < '01a2ce8b-d400-7000-8000-000000000000') NOT VALID;
ALTER TABLE step VALIDATE CONSTRAINT step_before_2027_01;
ALTER TABLE order_event ADD CONSTRAINT order_event_before_2027_01 CHECK (order_id < '01a2ce8b-d400-7000-8000-000000000000') NOT VALID;
ALTER TABLE order_event VALIDATE CONSTRAINT order_event_before_2027_01;

-- the foreign keys into orders are re-made against the partitioned table (step 4)
ALTER TABLE order_line DROP CONSTRAINT order_line_order_id_fkey;
ALTER TABLE step DROP CONSTRAINT step_order_id_fkey;
ALTER TABLE shipment DROP CONSTRAINT shipment_order_id_fkey;
ALTER TABLE invoice DROP CONSTRAINT invoice_order_id_fkey;
ALTER TABLE edi_document DROP CONSTRAINT edi_document_order_id_fkey;
ALTER TABLE orders DROP CONSTRAINT orders_channel_external_ref;

ALTER TABLE orders RENAME TO orders_legacy;
ALTER TABLE order_line RENAME TO order_line_legacy;
ALTER TABLE step RENAME TO step_legacy;
ALTER TABLE order_event RENAME TO order_event_legacy;

-- 3. The partitioned tables, the same columns (LIKE copies defaults, identity and NOT NULLs).
CREATE TABLE orders (LIKE orders_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (id);
ALTER TABLE orders DROP CONSTRAINT orders_before_2027_01;
ALTER TABLE orders ADD PRIMARY KEY (id);
CREATE INDEX orders_channel_id_p ON orders (channel, id);
CREATE INDEX orders_status_id_p ON orders (status, id);

CREATE TABLE order_line (LIKE order_line_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (order_id);
ALTER TABLE order_line DROP CONSTRAINT order_line_before_2027_01;
ALTER TABLE order_line ADD PRIMARY KEY (order_id, line_no);
CREATE INDEX order_line_reserved_p ON order_line (warehouse, sku) INCLUDE (reserved) WHERE reserved > 0;
CREATE INDEX order_line_backordered_p ON order_line (warehouse, sku, order_id) WHERE backordered > 0;

CREATE TABLE step (LIKE step_legacy INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (order_id);
ALTER TABLE step DROP CONSTRAINT step_before_2027_01;
ALTER TABLE step ADD PRIMARY KEY (order_id, id);
CREATE INDEX step_id_p ON step (id);
CREATE INDEX step_due_p ON step (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX step_leased_p ON step (lease_until) WHERE state = 'RUNNING';

-- order_event: its seq column is an identity; the partitioned parent takes over the sequence
CREATE TABLE order_event (
    id          uuid        NOT NULL,
    order_id    uuid        NOT NULL,
    order_seq   integer     NOT NULL,
    channel     text        NOT NULL,
    type        text        NOT NULL,
    actor       text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    tx_id       bigint      NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    seq         bigint      NOT NULL,
    PRIMARY KEY (order_id, order_seq)
) PARTITION BY RANGE (order_id);
CREATE SEQUENCE order_event_seq_p;
SELECT setval('order_event_seq_p', (SELECT coalesce(max(seq), 0) + 1 FROM order_event_legacy));
ALTER TABLE order_event ALTER COLUMN seq SET DEFAULT nextval('order_event_seq_p');
ALTER TABLE order_event_legacy ALTER COLUMN seq DROP IDENTITY;
CREATE INDEX order_event_id_p ON order_event (id);
CREATE INDEX order_event_position_p ON order_event (tx_id, seq);

-- 4. Attach the legacy tables (no scan: the validated CHECKs prove the bound), then next months.
ALTER TABLE orders ATTACH PARTITION orders_legacy FOR VALUES FROM (MINVALUE) TO ('01a2ce8b-d400-7000-8000-000000000000');
ALTER TABLE order_line ATTACH PARTITION order_line_legacy FOR VALUES FROM (MINVALUE) TO ('01a2ce8b-d400-7000-8000-000000000000');
ALTER TABLE step_legacy DROP CONSTRAINT step_pkey;
ALTER TABLE step_legacy ADD PRIMARY KEY (order_id, id);
ALTER TABLE step ATTACH PARTITION step_legacy FOR VALUES FROM (MINVALUE) TO ('01a2ce8b-d400-7000-8000-000000000000');
ALTER TABLE order_event_legacy DROP CONSTRAINT order_event_pkey;
ALTER TABLE order_event_legacy DROP CONSTRAINT order_event_order_seq;
ALTER TABLE order_event_legacy ADD PRIMARY KEY (order_id, order_seq);
ALTER TABLE order_event ATTACH PARTITION order_event_legacy FOR VALUES FROM (MINVALUE) TO ('01a2ce8b-d400-7000-8000-000000000000');

-- one month's partitions (a scheduled job, or pg_partman, keeps three months ahead)
CREATE TABLE orders_2027_01 PARTITION OF orders FOR VALUES FROM ('01a2ce8b-d400-7000-8000-000000000000') TO ('01a36e30-f800-7000-8000-000000000000');
CREATE TABLE order_line_2027_01 PARTITION OF order_line FOR VALUES FROM ('01a2ce8b-d400-7000-8000-000000000000') TO ('01a36e30-f800-7000-8000-000000000000');
CREATE TABLE step_2027_01 PARTITION OF step FOR VALUES FROM ('01a2ce8b-d400-7000-8000-000000000000') TO ('01a36e30-f800-7000-8000-000000000000');
CREATE TABLE order_event_2027_01 PARTITION OF order_event FOR VALUES FROM ('01a2ce8b-d400-7000-8000-000000000000') TO ('01a36e30-f800-7000-8000-000000000000');

-- 5. Foreign keys into the partitioned orders. Tables that are not partitioned take NOT VALID,
--    then VALIDATE (no lock that blocks writes); PostgreSQL before 18 refuses NOT VALID on a
--    partitioned table, so the FKs of order_line and step validate in one pass, which holds a SHARE
--    ROW EXCLUSIVE lock on their legacy partitions for the length of one scan: writes to old orders'
--    lines and steps wait that long (new orders' rows are in the new partitions and do not).
ALTER TABLE order_line ADD CONSTRAINT order_line_order FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE step ADD CONSTRAINT step_order FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE shipment ADD CONSTRAINT shipment_order FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE invoice ADD CONSTRAINT invoice_order FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE edi_document ADD CONSTRAINT edi_document_order FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE shipment VALIDATE CONSTRAINT shipment_order;
ALTER TABLE invoice VALIDATE CONSTRAINT invoice_order;
ALTER TABLE edi_document VALIDATE CONSTRAINT edi_document_order;

COMMIT;

-- Code changes that go with it (Orders.insert, the lead's file, and OrderRecords):
--   * intake inserts into order_ref in the same transaction (ON CONFLICT (channel, external_ref)
--     DO NOTHING RETURNING, where it now relies on orders_channel_external_ref);
--   * lookups by external ref read order_ref, then orders by id (one partition);
--   * queries by step id alone (claim, settle) add the order id where they have it; step_id_p
--     serves the others.
