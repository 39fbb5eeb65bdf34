-- EDI (X12): where an order came from, interchanges taken, buyers' item numbers, documents sent back.

-- The source document of an order, when it was not a plain JSON request: for an 850, the sender,
-- the PO number and the PO1 line identities, which every document sent back (855, 856, 810) must quote.
ALTER TABLE orders ADD COLUMN origin jsonb;

-- Interchanges taken, by sender and ISA13: a re-sent interchange answers the same 997 and creates nothing.
-- A row is claimed before any of its orders is taken and completed with the 997; a claim whose
-- process died is taken over after a while (claimed_at).
CREATE TABLE edi_interchange (
    channel         text        NOT NULL,
    sender          text        NOT NULL,
    control_number  text        NOT NULL,
    principal_id    uuid        NOT NULL,
    claimed_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    acknowledgment  text,
    PRIMARY KEY (channel, sender, control_number)
);

-- A customer's item cross-reference: its own part numbers (PO1 qualifiers BP, IN) to our SKUs.
CREATE TABLE edi_item_xref (
    channel      text        NOT NULL,
    customer_id  text        NOT NULL,
    buyer_part   text        NOT NULL,
    sku          text        NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (channel, customer_id, buyer_part)
);

-- Documents sent back for an order: the 855 (source = the order), each 856 (source = the shipment
-- id) and each 810 (source = the invoice id). Stored as sent, so the endpoint and the webhook agree.
CREATE TABLE edi_document (
    order_id        uuid        NOT NULL REFERENCES orders (id),
    kind            text        NOT NULL,
    source_id       text        NOT NULL,
    control_number  bigint      NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (order_id, kind, source_id)
);

-- Our own interchange control numbers (ISA13/GS06 of what we send): nine digits, wrapping round.
CREATE SEQUENCE edi_control_number MINVALUE 1 MAXVALUE 999999999 CYCLE;
