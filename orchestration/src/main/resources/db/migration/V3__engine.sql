-- The engine: each order's steps (credit check, fulfillment, invoicing, compensations) as rows that
-- any instance's workers claim with FOR UPDATE SKIP LOCKED under a lease.

CREATE TABLE step (
    id               uuid        PRIMARY KEY,
    order_id         uuid        NOT NULL REFERENCES orders (id),
    kind             text        NOT NULL,
    state            text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    lease_owner      text,
    lease_until      timestamptz,
    last_error       text,
    -- what to send (invoice lines, fulfillment lines), fixed when the step is created
    payload          jsonb       NOT NULL,
    -- what the downstream answered (request id, invoice id, decision)
    result           jsonb,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX step_order ON step (order_id);
-- the workers' queue: due pending steps, and running ones whose lease may have run out
CREATE INDEX step_due ON step (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX step_leased ON step (lease_until) WHERE state = 'RUNNING';

ALTER TABLE orders ADD COLUMN needs_approval boolean NOT NULL DEFAULT false;
-- the status an order had before it went to the exception queue, restored by a retry
ALTER TABLE orders ADD COLUMN status_before_exception text;
ALTER TABLE order_line ADD COLUMN invoiced integer NOT NULL DEFAULT 0 CHECK (invoiced >= 0);

-- Shipments confirmed by the warehouse; idempotent by (order, shipment id).
CREATE TABLE shipment (
    order_id         uuid        NOT NULL REFERENCES orders (id),
    shipment_id      text        NOT NULL,
    carrier          text,
    tracking_number  text,
    lines            jsonb       NOT NULL,
    actor            text        NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (order_id, shipment_id)
);

-- Invoices and credit notes the invoicing system issued.
CREATE TABLE invoice (
    id           uuid          PRIMARY KEY,
    order_id     uuid          NOT NULL REFERENCES orders (id),
    kind         text          NOT NULL,
    external_id  text          NOT NULL,
    total        numeric(19,2) NOT NULL,
    lines        jsonb         NOT NULL,
    created_at   timestamptz   NOT NULL
);
CREATE INDEX invoice_order ON invoice (order_id);
