-- Partners' webhook subscriptions, and every delivery of every event to each of them.

CREATE TABLE webhook_subscription (
    id                    uuid        PRIMARY KEY,
    owner_id              uuid        NOT NULL,
    url                   text        NOT NULL,
    events                text[]      NOT NULL,
    channels              text[]      NOT NULL,
    -- signing secrets must be readable to sign with; during a rotation both are used
    secret                text        NOT NULL,
    previous_secret       text,
    previous_secret_until timestamptz,
    disabled_at           timestamptz,
    disabled_reason       text,
    created_at            timestamptz NOT NULL,
    deleted_at            timestamptz
);
CREATE INDEX webhook_subscription_owner ON webhook_subscription (owner_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_delivery (
    id               uuid        PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES webhook_subscription (id),
    event_id         uuid        NOT NULL,
    order_id         uuid        NOT NULL,
    order_seq        integer     NOT NULL,
    event_type       text        NOT NULL,
    state            text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    lease_until      timestamptz,
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    CONSTRAINT webhook_delivery_once UNIQUE (subscription_id, event_id)
);
-- the dispatcher's queue; and the head of each (subscription, order) line, which alone may go out
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_delivery_order_line ON webhook_delivery (subscription_id, order_id, order_seq) WHERE state = 'PENDING';
CREATE INDEX webhook_delivery_log ON webhook_delivery (subscription_id, id);

-- How far a reader of the outbox has come (the webhook fan-out).
CREATE TABLE outbox_cursor (
    name    text   PRIMARY KEY,
    tx_id   bigint NOT NULL,
    seq     bigint NOT NULL
);
