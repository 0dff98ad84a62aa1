import Foundation

/// The sections of a scoring rule document, in document (and breakdown) order.
enum ScoringRulesSection: String, CaseIterable, Sendable {
    case industries, budgetBands, sources, titleKeywords, regions, completeness, tags, attributes

    /// Sections written as `{"name": points}`; the others are arrays of rule objects.
    var isNamedPoints: Bool {
        switch self {
        case .industries, .sources, .regions, .completeness, .tags: true
        case .budgetBands, .titleKeywords, .attributes: false
        }
    }

    /// The path of one entry of a named-points section: `industries["pharma_retail"]`.
    func path(name: String) -> String {
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\(rawValue)[\"\(escaped)\"]"
    }

    /// The path of one rule of an array section: `budgetBands[2]`.
    func path(index: Int) -> String {
        "\(rawValue)[\(index)]"
    }
}
