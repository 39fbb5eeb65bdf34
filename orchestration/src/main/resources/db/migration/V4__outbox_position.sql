-- Where each event stands in the outbox, for readers that must never skip one (webhook dispatch,
-- live streams): the id of the transaction that wrote it, then its sequence. Readers only read below
-- the oldest transaction still in progress (pg_snapshot_xmin): no event can appear there later, so
-- a reader that has passed a position has seen everything before it, whatever the commit order.
ALTER TABLE order_event ADD COLUMN tx_id bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint;
ALTER TABLE order_event ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX order_event_position ON order_event (tx_id, seq);
