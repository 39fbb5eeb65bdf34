-- What admins (and warehouse staff, and partners managing their webhooks) did, and who did it. Each
-- row is written in the transaction of the action it records, so an action and its audit entry
-- commit together or not at all. Append-only: nothing updates or deletes a row.
CREATE TABLE audit_event (
    id           uuid        PRIMARY KEY,
    actor_id     uuid,
    actor_name   text        NOT NULL,
    action       text        NOT NULL,
    target_type  text        NOT NULL,
    target_id    text,
    details      jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL
);

CREATE INDEX audit_event_target ON audit_event (target_id, id);
