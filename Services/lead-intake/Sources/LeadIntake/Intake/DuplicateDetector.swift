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
/// Runs beside the intake, not in it, so review flags never slow the door leads come through. Leads wait in `duplicates_checked_at IS NULL`;
/// `SKIP LOCKED` lets several instances share the work without checking a lead twice.
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

    /// Checks up to `batchSize` unchecked leads; returns how many it checked.
    @discardableResult
    public func checkPending() async throws -> Int {
        try await client.unitOfWork(logger: logger) { connection -> Int in
            var ids: [UUID] = []
            let rows = try await connection.query("""
                SELECT id FROM leads WHERE duplicates_checked_at IS NULL ORDER BY created_at LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                """, logger: logger)
            for try await id in rows.decode(UUID.self) { ids.append(id) }
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
            try await connection.query(
                "UPDATE leads SET duplicates_checked_at = now() WHERE id = ANY(\(ids.map(\.uuidString))::uuid[])", logger: logger)
            Counter(label: "crm_intake_submissions_total", dimensions: [("outcome", "possible_duplicate")]).increment(by: flagged)
            return ids.count
        }
    }
}
