/// The shared schema, all services' tables in one list so one database version describes it.
/// Append new migrations with the next version; never edit one that has shipped.
public enum SchemaMigrations {
    public static let all: [Migration] = [
        Migration(version: 1, name: "outbox and inbox", statements: [
            """
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY,
                event_id UUID NOT NULL UNIQUE,
                producer TEXT NOT NULL,
                topic TEXT NOT NULL,
                message_key TEXT NOT NULL,
                event_type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                published_at TIMESTAMPTZ
            )
            """,
            "CREATE INDEX outbox_pending ON outbox (producer, id) WHERE published_at IS NULL",
            "CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL",
            // One notification per producer per inserting statement wakes that producer's relay.
            """
            CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('crm_outbox', producer) FROM (SELECT DISTINCT producer FROM inserted) AS producers;
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
            REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()
            """,
            """
            CREATE TABLE inbox (
                consumer TEXT NOT NULL,
                event_id TEXT NOT NULL,
                processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, event_id)
            )
            """,
            "CREATE INDEX inbox_processed_at ON inbox (processed_at)",
        ]),
    ]
}
