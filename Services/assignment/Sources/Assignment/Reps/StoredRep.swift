import Foundation

/// A rep as stored: the profile plus the capacity counter the routing handler keeps
/// (`reps.open_leads`). Encodes flat, as the rep's own fields plus `openLeads` and `updatedAt`, so
/// the answer of `GET /v1/reps/{id}` can be edited and sent back with `PUT` as it is (the extra
/// fields are ignored there).
public struct StoredRep: Codable, Sendable, Equatable {
    public var rep: Rep
    /// Open (open or contacted) leads currently assigned, as counted for capacity.
    public var openLeads: Int
    public var updatedAt: Date

    public init(rep: Rep, openLeads: Int, updatedAt: Date) {
        self.rep = rep
        self.openLeads = openLeads
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case openLeads, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        rep = try Rep(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        openLeads = try container.decode(Int.self, forKey: .openLeads)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        try rep.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(openLeads, forKey: .openLeads)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
