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
        Migration(version: 4, name: "reps, assignments, SLA timers, activities", statements: [
            // The searchable columns plus the whole Rep (regions, product lines, hours, leave, ...).
            // open_leads is the capacity counter, kept in step with assignments (under the routing lock, AssignmentStore.lockRouting).
            """
            CREATE TABLE reps (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                team_id TEXT NOT NULL,
                supervisor_id TEXT,
                active BOOLEAN NOT NULL,
                capacity INTEGER NOT NULL CHECK (capacity >= 0),
                profile JSONB NOT NULL,
                open_leads INTEGER NOT NULL DEFAULT 0 CHECK (open_leads >= 0),
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX reps_team ON reps (team_id)",
            // What routing needs of a lead, kept for re-routing after a return to the pool.
            """
            CREATE TABLE routed_leads (
                lead_id UUID PRIMARY KEY,
                score INTEGER NOT NULL,
                region TEXT,
                product_line TEXT,
                industry TEXT,
                language TEXT,
                accepted_at TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE assignments (
                id BIGSERIAL PRIMARY KEY,
                lead_id UUID NOT NULL REFERENCES routed_leads (lead_id),
                rep_id TEXT REFERENCES reps (id),
                queue TEXT,
                status TEXT NOT NULL CHECK (status IN ('open', 'contacted', 'converted', 'lost', 'returned', 'reassigned', 'queued')),
                current BOOLEAN NOT NULL DEFAULT true,
                policy_version INTEGER NOT NULL,
                reasons JSONB NOT NULL,
                assigned_at TIMESTAMPTZ NOT NULL,
                contacted_at TIMESTAMPTZ,
                closed_at TIMESTAMPTZ,
                CHECK ((rep_id IS NULL) = (status = 'queued'))
            )
            """,
            // At most one current assignment per lead, whatever two instances do.
            "CREATE UNIQUE INDEX assignments_one_current ON assignments (lead_id) WHERE current",
            "CREATE INDEX assignments_rep_recent ON assignments (rep_id, assigned_at)",
            "CREATE INDEX assignments_assigned_at ON assignments (assigned_at)",
            "CREATE TABLE routing_cursor (scope TEXT PRIMARY KEY, position BIGINT NOT NULL)",
            """
            CREATE TABLE sla_timers (
                id BIGSERIAL PRIMARY KEY,
                lead_id UUID NOT NULL,
                kind TEXT NOT NULL,
                rep_id TEXT,
                due_at TIMESTAMPTZ NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                fired_at TIMESTAMPTZ,
                cancelled_at TIMESTAMPTZ
            )
            """,
            "CREATE INDEX sla_timers_due ON sla_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL",
            "CREATE UNIQUE INDEX sla_timers_one_pending ON sla_timers (lead_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL",
            """
            CREATE TABLE lead_activities (
                id BIGSERIAL PRIMARY KEY,
                lead_id UUID NOT NULL,
                rep_id TEXT,
                kind TEXT NOT NULL,
                notes TEXT,
                at TIMESTAMPTZ NOT NULL,
                recorded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX lead_activities_lead ON lead_activities (lead_id, at)",
        ]),
        Migration(version: 5, name: "possible-duplicate search off the intake path", statements: [
            // New leads wait here for the background duplicate detector (lead-intake).
            "ALTER TABLE leads ADD COLUMN duplicates_checked_at TIMESTAMPTZ",
            "CREATE INDEX leads_duplicates_unchecked ON leads (created_at) WHERE duplicates_checked_at IS NULL",
            // Candidates share the normalized contact name; company similarity is scored among them.
            // A trigram index over company keys matched too much (shared words like 医药, 科技) and
            // cost every insert.
            "DROP INDEX leads_company_key_trgm",
            "CREATE INDEX leads_contact_name ON leads (contact_name) WHERE contact_name IS NOT NULL",
        ]),
        Migration(version: 6, name: "outbox notifications per producer, from the appending statement", statements: [
            // Outbox.append notifies its producer's own channel. The trigger copied every appended
            // row (payloads included) into a transition table to find the producers, and its one
            // channel woke every relay of every service for every commit.
            "DROP TRIGGER outbox_inserted ON outbox",
            "DROP FUNCTION outbox_notify()",
        ]),
        Migration(version: 7, name: "pending outbox rows in a queue of their own", statements: [
            // The relay found pending rows through a partial index of `outbox`. Marking a row
            // published left its entry there, pointing at a dead row version, until VACUUM, which on
            // a table kept for 72 hours comes rarely; the relay's read visited every row published
            // since, 2,000 pages and 9 ms a batch after 30 s at 500 leads/s (docs/BENCHMARKS.md).
            // The queue holds only what is pending; publishing deletes from it, and `outbox` is
            // written once and deleted after the retention.
            """
            CREATE TABLE outbox_queue (
                producer TEXT NOT NULL,
                id BIGINT NOT NULL,
                PRIMARY KEY (producer, id)
            )
            """,
            "INSERT INTO outbox_queue (producer, id) SELECT producer, id FROM outbox WHERE published_at IS NULL",
            "DROP INDEX outbox_pending",
            "DROP INDEX outbox_published",
            "ALTER TABLE outbox DROP COLUMN published_at",
            "CREATE INDEX outbox_created ON outbox (producer, created_at)",
        ]),
        Migration(version: 8, name: "reps' daily assignment counts for the routing figures", statements: [
            // Routing ranks reps by what they were assigned and converted in the policy's windows (up
            // to 90 days) and won this week. Counting that from `assignments` read every row of the
            // windows: 114-248 ms at 900,000 assignments, against 8-10 ms from these counters
            // (docs/BENCHMARKS.md). One row per rep and UTC day, kept by the triggers below in the
            // writing transaction; a read sums at most 90 rows per rep and counts raw rows only for
            // the windows' first, partial days. `assigned` and `converted` count by the day of `assigned_at`, `won` by
            // the day of `closed_at` (conversions).
            """
            CREATE TABLE rep_history_days (
                rep_id TEXT NOT NULL,
                day DATE NOT NULL,
                assigned INTEGER NOT NULL,
                converted INTEGER NOT NULL,
                won INTEGER NOT NULL,
                PRIMARY KEY (rep_id, day)
            )
            """,
            // What one assignment row adds to the counters, signed (-1 for a row's old version).
            """
            CREATE FUNCTION rep_history_parts(sign INTEGER, rep_id TEXT, status TEXT, assigned_at TIMESTAMPTZ, closed_at TIMESTAMPTZ)
            RETURNS SETOF rep_history_days LANGUAGE sql IMMUTABLE AS $$
                SELECT rep_id, (assigned_at AT TIME ZONE 'UTC')::date, sign, CASE WHEN status = 'converted' THEN sign ELSE 0 END, 0
                WHERE rep_id IS NOT NULL
                UNION ALL
                SELECT rep_id, (closed_at AT TIME ZONE 'UTC')::date, 0, 0, sign
                WHERE rep_id IS NOT NULL AND status = 'converted' AND closed_at IS NOT NULL
            $$
            """,
            // One upsert per changed (rep, day), in key order, so two writers lock these rows in the
            // same order. Changes that cancel out (a lead contacted, returned or reassigned) write and
            // lock nothing. Writers lock the rep's row (its open-lead counter) before these: routing
            // in its one write statement, a conversion by moving the counter first
            // (LeadActivities.record). PL/pgSQL keeps the upsert's plan per connection; as an SQL
            // function it was planned on every call (0.11 against 0.05 ms per routing batch).
            """
            CREATE FUNCTION rep_history_add(changes rep_history_days[]) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO rep_history_days AS d (rep_id, day, assigned, converted, won)
                SELECT rep_id, day, sum(assigned), sum(converted), sum(won) FROM unnest(changes)
                GROUP BY rep_id, day
                HAVING sum(assigned) <> 0 OR sum(converted) <> 0 OR sum(won) <> 0
                ORDER BY rep_id, day
                ON CONFLICT (rep_id, day) DO UPDATE
                SET assigned = d.assigned + excluded.assigned, converted = d.converted + excluded.converted, won = d.won + excluded.won;
            END
            $$
            """,
            // Statement-level, with the statement's rows: a routing batch is one upsert, not one per lead.
            """
            CREATE FUNCTION rep_history_count() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    PERFORM rep_history_add(ARRAY(
                        SELECT p FROM new_rows AS a, rep_history_parts(1, a.rep_id, a.status, a.assigned_at, a.closed_at) AS p));
                ELSIF TG_OP = 'UPDATE' THEN
                    PERFORM rep_history_add(ARRAY(
                        SELECT p FROM new_rows AS a, rep_history_parts(1, a.rep_id, a.status, a.assigned_at, a.closed_at) AS p
                        UNION ALL
                        SELECT p FROM old_rows AS a, rep_history_parts(-1, a.rep_id, a.status, a.assigned_at, a.closed_at) AS p));
                ELSIF TG_OP = 'DELETE' THEN
                    PERFORM rep_history_add(ARRAY(
                        SELECT p FROM old_rows AS a, rep_history_parts(-1, a.rep_id, a.status, a.assigned_at, a.closed_at) AS p));
                ELSE
                    DELETE FROM rep_history_days;
                END IF;
                RETURN NULL;
            END
            $$
            """,
            // Created before the backfill: the triggers' lock waits for writers in flight and holds
            // new ones until the migration commits, so every row is counted once.
            """
            CREATE TRIGGER rep_history_inserted AFTER INSERT ON assignments
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rep_history_count()
            """,
            """
            CREATE TRIGGER rep_history_updated AFTER UPDATE ON assignments
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rep_history_count()
            """,
            """
            CREATE TRIGGER rep_history_deleted AFTER DELETE ON assignments
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rep_history_count()
            """,
            "CREATE TRIGGER rep_history_truncated AFTER TRUNCATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION rep_history_count()",
            """
            INSERT INTO rep_history_days (rep_id, day, assigned, converted, won)
            SELECT p.rep_id, p.day, sum(p.assigned), sum(p.converted), sum(p.won)
            FROM assignments AS a, rep_history_parts(1, a.rep_id, a.status, a.assigned_at, a.closed_at) AS p
            GROUP BY p.rep_id, p.day
            """,
            // The raw rows a read still counts: overdue first contacts, and conversions on the first,
            // partial day of the week's window.
            "CREATE INDEX assignments_open_by_rep ON assignments (rep_id, assigned_at) WHERE current AND status = 'open'",
            "CREATE INDEX assignments_converted_at ON assignments (closed_at) WHERE status = 'converted'",
        ]),
        Migration(version: 9, name: "the outbox queue's vacuum leaves its pages in place", statements: [
            // VACUUM ends by truncating empty pages at the end of a table, under an ACCESS
            // EXCLUSIVE lock, and retries that lock every 50 ms for up to 5 s. The queue is emptied
            // from its end as fast as it fills, so every relay's vacuum (every 10 s) truncated it:
            // each outbox append of every handler waited meanwhile, and the vacuum itself took 71 ms
            // on average instead of 2-6 (docs/BENCHMARKS.md). The pages are reused as the queue fills.
            "ALTER TABLE outbox_queue SET (vacuum_truncate = false)",
        ]),
    ]
}
