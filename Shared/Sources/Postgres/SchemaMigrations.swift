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
        Migration(version: 2, name: "versioned rule documents", statements: [
            // Scoring, routing, approval and notification rules: every change is a new version, so
            // each decision can name the version it used. Rollback writes an old document again.
            """
            CREATE TABLE rule_documents (
                kind TEXT NOT NULL,
                version INTEGER NOT NULL,
                document JSONB NOT NULL,
                created_by TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                comment TEXT,
                PRIMARY KEY (kind, version)
            )
            """,
            """
            CREATE TABLE rule_audit (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('seed', 'set', 'rollback')),
                actor TEXT NOT NULL,
                old_version INTEGER,
                new_version INTEGER NOT NULL,
                old_document JSONB,
                new_document JSONB NOT NULL,
                at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
        ]),
        Migration(version: 3, name: "leads, identities, submissions, possible duplicates", statements: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            """
            CREATE TABLE leads (
                id UUID PRIMARY KEY,
                submission_id TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                contact_name TEXT,
                phone TEXT,
                email TEXT,
                wecom_id TEXT,
                title TEXT,
                company_name TEXT,
                company_key TEXT,
                industry TEXT,
                company_size TEXT,
                region TEXT,
                province TEXT,
                product_line TEXT,
                budget DOUBLE PRECISION,
                currency TEXT,
                notes TEXT,
                attributes JSONB NOT NULL DEFAULT '{}',
                score INTEGER NOT NULL,
                score_breakdown JSONB NOT NULL,
                scoring_version INTEGER NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX leads_company_key_trgm ON leads USING gin (company_key gin_trgm_ops)",
            // One row per identity: the primary key is what makes "one person, one lead" hold.
            """
            CREATE TABLE lead_identities (
                kind TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'wecomId')),
                value TEXT NOT NULL,
                lead_id UUID NOT NULL REFERENCES leads (id),
                PRIMARY KEY (kind, value)
            )
            """,
            "CREATE INDEX lead_identities_lead ON lead_identities (lead_id)",
            // Every submission is a touch of its lead; the primary key makes redelivery idempotent.
            """
            CREATE TABLE lead_submissions (
                submission_id TEXT PRIMARY KEY,
                lead_id UUID NOT NULL REFERENCES leads (id),
                source TEXT NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'merged')),
                matched_on TEXT[] NOT NULL DEFAULT '{}',
                raw JSONB NOT NULL,
                processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX lead_submissions_lead ON lead_submissions (lead_id, received_at)",
            """
            CREATE TABLE possible_duplicates (
                lead_id UUID NOT NULL REFERENCES leads (id),
                candidate_id UUID NOT NULL REFERENCES leads (id),
                reason TEXT NOT NULL,
                company_similarity REAL,
                name_similarity REAL,
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
                detected_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (lead_id, candidate_id)
            )
            """,
            "CREATE INDEX possible_duplicates_open ON possible_duplicates (detected_at) WHERE status = 'open'",
        ]),
    ]
}
