import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Shared

/// Flags new leads that are likely the same company and person as an existing lead under other
/// identities (a new phone, a typo or another legal suffix in the company name): the same normalized
/// contact name and a company key at least `companySimilarity` alike by trigrams. Flagged for review
/// in `possible_duplicates`, never merged automatically.
///
/// Runs beside the intake, not in it, so review flags never slow the door leads come through. Leads
/// wait in `duplicates_checked_at IS NULL`. The check locks no lead while it searches: a merge into
/// a lead (its foreign-key check, the completion of missing fields) must never wait for a trigram
/// search that takes hundreds of milliseconds under load. A lead is marked checked only if it did
/// not change since it was read (`updated_at`) and no merge holds it; one that did is checked
/// again with its new fields in the next round, so the check never waits for the intake. One
/// detector works at a time (a transaction-scoped advisory lock), so several instances do not
/// search the same leads twice.
public struct DuplicateDetector: Service {
    /// "Likely the same": company keys at least this similar by trigrams (0...1).
    public static let companySimilarity: Double = 0.5

    private let client: PostgresClient
    private let logger: Logger
    private let batchSize: Int
    private let idlePause: Duration

    public init(client: PostgresClient, logger: Logger, batchSize: Int = 200, idlePause: Duration = .seconds(1)) {
        self.client = client
        self.logger = logger
        self.batchSize = batchSize
        self.idlePause = idlePause
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let start = ContinuousClock.now
                let checked = try await checkPending()
                // At most a quarter of the time: under a burst the intake comes first, review
                // flags catch up afterwards.
                let pause = checked < batchSize ? max(idlePause, (ContinuousClock.now - start) * 3) : (ContinuousClock.now - start) * 3
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                logger.warning("duplicate check failed; next round retries", metadata: ["error": "\(String(reflecting: error))"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: idlePause) }
            }
        }
    }

    /// Checks up to `batchSize` unchecked leads; returns how many it marked checked (0 while
    /// another instance is checking).
    @discardableResult
    public func checkPending() async throws -> Int {
        try await client.unitOfWork(logger: logger) { connection -> Int in
            var ids: [UUID] = []
            var versions: [Int64] = []
            // No row locks: FOR UPDATE here held every lead of the batch through the search, and a
            // merge into one of them (FOR KEY SHARE of its foreign-key check) waited for all of it.
            let rows = try await connection.query("""
                WITH detector AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtext('duplicate-detector')) AS locked)
                SELECT l.id, \(unescaped: Self.leadVersion) FROM leads AS l, detector
                WHERE detector.locked AND l.duplicates_checked_at IS NULL ORDER BY l.created_at LIMIT \(batchSize)
                """, logger: logger)
            for try await (id, version) in rows.decode((UUID, Int64).self) {
                ids.append(id)
                versions.append(version)
            }
            guard !ids.isEmpty else { return 0 }
            let flagged = try await connection.query("""
                INSERT INTO possible_duplicates (lead_id, candidate_id, reason, company_similarity, name_similarity)
                SELECT n.id, c.id, 'similar_company_and_contact', c.company_similarity, 1
                FROM leads AS n
                CROSS JOIN LATERAL (
                    SELECT l.id, similarity(l.company_key, n.company_key) AS company_similarity
                    FROM leads AS l
                    WHERE l.contact_name = n.contact_name AND l.id <> n.id AND l.company_key IS NOT NULL
                      AND l.created_at <= n.created_at
                    ORDER BY company_similarity DESC
                    LIMIT 20
                ) AS c
                WHERE n.id = ANY(\(ids.map(\.uuidString))::uuid[])
                  AND n.company_key IS NOT NULL AND n.contact_name IS NOT NULL
                  AND c.company_similarity >= \(Self.companySimilarity)
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger).collect().count
            // The row locks are taken here, just before the commit, in id order, skipping any lead a
            // merge holds (it changes, so it is checked again next round anyway). Waiting here
            // deadlocked with the intake's update of the same leads in another order: Postgres
            // found it only after deadlock_timeout (1 s) and the intake's batch stalled meanwhile.
            let marked = try await connection.query("""
                WITH unchanged AS (
                    SELECT l.id FROM leads AS l
                    JOIN unnest(\(ids.map(\.uuidString))::uuid[], \(versions)::bigint[]) AS seen(id, version) ON l.id = seen.id
                    WHERE \(unescaped: Self.leadVersion) = seen.version
                    ORDER BY l.id
                    FOR NO KEY UPDATE OF l SKIP LOCKED
                )
                UPDATE leads AS l SET duplicates_checked_at = now() FROM unchanged WHERE l.id = unchanged.id
                RETURNING 1
                """, logger: logger).collect().count
            Counter(label: "crm_intake_submissions_total", dimensions: [("outcome", "possible_duplicate")]).increment(by: flagged)
            return marked
        }
    }

    /// A lead's version, `l.updated_at` in microseconds: exact in an Int64, where a Date would round it.
    private static let leadVersion = "(extract(epoch FROM l.updated_at) * 1000000)::bigint"
}
