/// The sales floor a benchmark or fault drill routes to: reps spread over every region the
/// generator's provinces map to, each covering two product lines, so every (region, product line)
/// pair has several reps; and the routing policy that goes with it.
public struct BenchRoster: Sendable {
    public var reps: Int
    public var capacity: Int
    public var regions: [String]
    public var productLines: [String]

    public init(reps: Int, capacity: Int, regions: [String] = LeadGenerator.regions, productLines: [String] = LeadGenerator.productLines) {
        self.reps = reps
        self.capacity = capacity
        self.regions = regions
        self.productLines = productLines
    }

    /// One rep of the roster.
    public struct Member: Sendable, Equatable {
        public var id: String
        public var team: String
        public var region: String
        public var productLines: [String]
    }

    /// Rep `i` works region `i mod R`; within a region the k-th rep covers product lines k and
    /// k + P/2, so with at least P/2 reps per region every product line is covered there.
    public var members: [Member] {
        (0..<reps).map { index in
            let region = regions[index % regions.count]
            let k = index / regions.count
            let first = productLines[k % productLines.count]
            let second = productLines[(k + productLines.count / 2) % productLines.count]
            return Member(id: String(format: "bench-rep-%03d", index), team: "bench-\(region)", region: region,
                          productLines: first == second ? [first] : [first, second])
        }
    }

    /// The roster as a rep CSV (`crmctl reps import`, `POST /v1/reps/import`): any time of day,
    /// every day, so a run at night routes like one at noon.
    public var csv: String {
        var lines = ["id,name,teamId,supervisorId,regions,productLines,workStart,workEnd,capacity,seniority"]
        for (index, member) in members.enumerated() {
            lines.append([
                member.id, "Bench Rep \(index)", member.team, "", member.region,
                member.productLines.joined(separator: ";"), "", "", String(capacity), String(1 + index % 5),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The policy of the fault drills: region is a hard rule (a lead without a known region goes to
    /// the public pool with a reason), so every decision can be checked; product line and industry
    /// rank; working hours are off for the same reason as in `csv`.
    public static let strictRoutingPolicy = routingPolicy(region: "required")

    /// The benchmark's policy: region, product line and industry all rank (about 40% of the mix
    /// names no province), so every lead gets a rep while any has room.
    public static let routingPolicy = routingPolicy(region: "preferred")

    private static func routingPolicy(region: String) -> String {
        """
        {
          "eligibility": {"region": "\(region)", "productLine": "preferred", "industry": "preferred", "respectWorkingHours": false},
          "fallbackQueue": "public_pool"
        }
        """
    }
}
