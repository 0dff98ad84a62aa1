import Foundation
import Logging
import PostgresNIO
import Shared

/// A lead as the query routes show it.
struct LeadView: Codable, Sendable {
    struct Touch: Codable, Sendable {
        var submissionId: String
        var source: String
        var receivedAt: Date
        var outcome: String
        var matchedOn: [String]
        var raw: JSONValue
    }

    @LowercasedUUID var leadId: UUID
    var submissionId: String
    var source: String
    var receivedAt: Date
    var contact: LeadContactInfo
    var company: LeadCompanyInfo
    var interest: LeadInterestInfo
    var attributes: [String: JSONValue]
    var score: Int
    var scoreBreakdown: [ScorePoints]
    var scoringVersion: Int
    var touches: [Touch]?

    init(_ record: LeadRecord, touches: [Touch]? = nil) {
        leadId = record.id
        submissionId = record.submissionId
        source = record.source
        receivedAt = record.receivedAt
        contact = record.contactInfo
        company = record.companyInfo
        interest = record.interestInfo
        attributes = record.attributes
        score = record.score
        scoreBreakdown = record.scoreBreakdown
        scoringVersion = record.scoringVersion
        self.touches = touches
    }
}

/// A pair of leads that may be one person, for review.
struct PossibleDuplicateView: Codable, Sendable {
    var lead: LeadView
    var candidate: LeadView
    var reason: String
    var companySimilarity: Float?
    var nameSimilarity: Float?
    var status: String
    var detectedAt: Date
}

/// The read side of the leads tables.
struct LeadQueries: Sendable {
    let client: PostgresClient
    let logger: Logger

    func lead(_ id: UUID) async throws -> LeadView? {
        try await client.withLiveConnection { connection in
            guard let record = try await LeadRepository.leads([id], on: connection, logger: logger)[id] else { return nil }
            var touches: [LeadView.Touch] = []
            let rows = try await connection.query("""
                SELECT submission_id, source, received_at, outcome, matched_on, raw::text FROM lead_submissions
                WHERE lead_id = \(id) ORDER BY received_at, processed_at
                """, logger: logger)
            for try await (submissionId, source, receivedAt, outcome, matchedOn, raw) in rows.decode((String, String, Date, String, [String], String).self) {
                touches.append(.init(submissionId: submissionId, source: source, receivedAt: receivedAt, outcome: outcome,
                                     matchedOn: matchedOn, raw: (try? JSONValue.parse(Data(raw.utf8))) ?? .null))
            }
            return LeadView(record, touches: touches)
        }
    }

    /// Leads known by any of these identities (already normalized).
    func leads(with identities: [LeadIdentity]) async throws -> [LeadView] {
        guard !identities.isEmpty else { return [] }
        return try await client.withLiveConnection { connection in
            var ids = Set<UUID>()
            let rows = try await connection.query("""
                SELECT i.lead_id FROM lead_identities AS i
                JOIN unnest(\(identities.map(\.kind.rawValue))::text[], \(identities.map(\.value))::text[]) AS wanted(kind, value)
                  ON i.kind = wanted.kind AND i.value = wanted.value
                """, logger: logger)
            for try await id in rows.decode(UUID.self) { ids.insert(id) }
            return try await LeadRepository.leads(ids, on: connection, logger: logger).values
                .sorted { $0.receivedAt < $1.receivedAt }.map { LeadView($0) }
        }
    }

    func possibleDuplicates(status: String, limit: Int) async throws -> [PossibleDuplicateView] {
        try await client.withLiveConnection { connection in
            var pairs: [(UUID, UUID, String, Float?, Float?, String, Date)] = []
            let rows = try await connection.query("""
                SELECT lead_id, candidate_id, reason, company_similarity, name_similarity, status, detected_at
                FROM possible_duplicates WHERE status = \(status) ORDER BY detected_at DESC LIMIT \(limit)
                """, logger: logger)
            for try await row in rows.decode((UUID, UUID, String, Float?, Float?, String, Date).self) { pairs.append(row) }
            let records = try await LeadRepository.leads(Set(pairs.flatMap { [$0.0, $0.1] }), on: connection, logger: logger)
            return pairs.compactMap { pair in
                guard let lead = records[pair.0], let candidate = records[pair.1] else { return nil }
                return PossibleDuplicateView(lead: LeadView(lead), candidate: LeadView(candidate), reason: pair.2,
                                             companySimilarity: pair.3, nameSimilarity: pair.4, status: pair.5, detectedAt: pair.6)
            }
        }
    }
}
