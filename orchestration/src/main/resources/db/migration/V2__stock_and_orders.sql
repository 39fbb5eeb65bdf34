-- Stock: PostgreSQL is the truth. Redis holds "available" and pending reservations for speed and
-- is rebuilt from these tables whenever it loses them.

CREATE TABLE stock_item (
    warehouse   text        NOT NULL,
    sku         text        NOT NULL,
    on_hand     bigint      NOT NULL CHECK (on_hand >= 0),
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (warehouse, sku)
);

-- Every change of on-hand, append-only: receipts, adjustments (with a reason code), counts, shipments.
CREATE TABLE stock_movement (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warehouse      text        NOT NULL,
    sku            text        NOT NULL,
    kind           text        NOT NULL,
    quantity       bigint      NOT NULL,
    on_hand_after  bigint      NOT NULL,
    reason         text,
    reference      text,
    order_id       uuid,
    actor          text        NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX stock_movement_item ON stock_movement (warehouse, sku, id);

-- Which rebuild of a warehouse's Redis keys is current. An order commits only if its reservation
-- was made against the current generation (see StockLock).
CREATE TABLE stock_generation (
    warehouse   text   PRIMARY KEY,
    generation  bigint NOT NULL
);

CREATE TABLE orders (
    id                  uuid          PRIMARY KEY,
    channel             text          NOT NULL,
    external_ref        text          NOT NULL,
    customer_id         text          NOT NULL,
    currency            text          NOT NULL,
    warehouse           text          NOT NULL,
    fulfillment_policy  text          NOT NULL,
    invoicing_policy    text          NOT NULL,
    status              text          NOT NULL,
    total               numeric(19,2) NOT NULL,
    ship_to             jsonb,
    created_by          text          NOT NULL,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    -- per-order event sequence: the last order_event.order_seq written
    event_seq           integer       NOT NULL,
    CONSTRAINT orders_channel_external_ref UNIQUE (channel, external_ref)
);
CREATE INDEX orders_channel_id ON orders (channel, id);
CREATE INDEX orders_status_id ON orders (status, id);

CREATE TABLE order_line (
    order_id          uuid          NOT NULL REFERENCES orders (id),
    line_no           integer       NOT NULL,
    warehouse         text          NOT NULL,
    sku               text          NOT NULL,
    quantity          integer       NOT NULL CHECK (quantity > 0),
    unit_price        numeric(19,4) NOT NULL,
    discount_percent  numeric(7,4)  NOT NULL,
    -- open reservation: reserved and not yet shipped or released
    reserved          integer       NOT NULL CHECK (reserved >= 0),
    backordered       integer       NOT NULL CHECK (backordered >= 0),
    shipped           integer       NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    PRIMARY KEY (order_id, line_no)
);
-- open reservations per item (rebuild, reconcile) and waiting backorders (receipts)
CREATE INDEX order_line_reserved ON order_line (warehouse, sku) INCLUDE (reserved) WHERE reserved > 0;
CREATE INDEX order_line_backordered ON order_line (warehouse, sku, order_id) WHERE backordered > 0;

-- The reservation ledger: every reserve, release and consumption of reserved stock, append-only.
CREATE TABLE reservation_movement (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the Redis reservation this came from: the order id at intake, a fill id for backorder fills
    reservation_id  uuid        NOT NULL,
    order_id        uuid        NOT NULL,
    line_no     integer     NOT NULL,
    warehouse   text        NOT NULL,
    sku         text        NOT NULL,
    kind        text        NOT NULL,
    quantity    integer     NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX reservation_movement_order ON reservation_movement (order_id);
CREATE INDEX reservation_movement_reservation ON reservation_movement (reservation_id);

-- Every change of an order: its timeline (who, what, when) and the outbox for webhooks and streams.
CREATE TABLE order_event (
    id          uuid        PRIMARY KEY,
    order_id    uuid        NOT NULL,
    order_seq   integer     NOT NULL,
    channel     text        NOT NULL,
    type        text        NOT NULL,
    actor       text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT order_event_order_seq UNIQUE (order_id, order_seq)
);

-- Idempotency-Key records, per principal, kept at least 24 hours: a replay answers the stored response.
CREATE TABLE idempotency_record (
    principal_id  uuid        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,
    status        integer     NOT NULL,
    response      text        NOT NULL,
    order_id      uuid,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (principal_id, key)
);
CREATE INDEX idempotency_record_created ON idempotency_record (created_at);

-- Ledgers are append-only: refuse updates and deletes outright.
CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER stock_movement_append_only BEFORE UPDATE OR DELETE ON stock_movement
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER reservation_movement_append_only BEFORE UPDATE OR DELETE ON reservation_movement
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
