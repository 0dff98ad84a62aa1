/// How strongly a lead attribute (region, product line, industry, language) must match a rep.
public enum MatchRequirement: String, Codable, Sendable, CaseIterable {
    /// Reps without a match are not eligible.
    case required
    /// Everyone stays eligible; a match earns the factor's weight.
    case preferred
    /// Neither filtered nor scored: the factor's weight is treated as 0 for this policy.
    case ignored
}
