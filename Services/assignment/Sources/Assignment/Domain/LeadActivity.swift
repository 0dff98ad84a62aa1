/// Rep activities that keep a lead alive. Raw values are the HTTP `type` values.
public enum LeadActivity: String, Codable, Sendable, CaseIterable {
    case contacted
    case followUp = "follow_up"
    case meeting
}
