import Foundation
import Shared

/// Reads the body of `PUT /v1/reps/{id}`: a rep as JSON (the shape `Rep` encodes to, and `GET`
/// answers). Optional fields take `Rep`'s defaults; the id may be left out (the path names the rep).
/// Unknown keys such as `openLeads` from a `GET` answer are ignored.
public enum RepDocument {
    public static let maxBytes = 64 * 1024

    private struct Input: Decodable {
        var id: String?
        var name: String?
        var teamId: String?
        var supervisorId: String?
        var regions: [String]?
        var productLines: [String]?
        var industries: [String]?
        var languages: [String]?
        var workingHours: WorkingHours?
        var timeZone: String?
        var active: Bool?
        var onLeave: [LeavePeriod]?
        // Numbers read as Double: Foundation reports 2.5 for an Int as "not valid JSON" without a path.
        var capacity: Double?
        var seniority: Double?
    }

    /// The rep in `bytes`, or every problem found (a body that does not decode reports the first
    /// field that failed; one that decodes is checked completely by `RepValidator`).
    public static func read(_ bytes: [UInt8], pathId: String) -> Result<Rep, RepValidationError> {
        guard case .object? = try? JSONValue.parse(Data(bytes)) else {
            return .failure(RepValidationError([RepProblem(field: "$", problem: "the body must be a JSON object (a rep)")]))
        }
        let input: Input
        do {
            input = try CRMJSON.decoder().decode(Input.self, from: Data(bytes))
        } catch let error as DecodingError {
            return .failure(RepValidationError([problem(error)]))
        } catch {
            return .failure(RepValidationError([RepProblem(field: "$", problem: "\(error)")]))
        }

        var problems: [RepProblem] = []
        let bodyId = input.id.map(trimmed)
        if let bodyId, bodyId != pathId {
            problems.append(RepProblem(field: "id", problem: "\"\(bodyId)\" does not match the id in the path (\"\(pathId)\"); leave it out or make them equal"))
        }
        if input.capacity == nil {
            problems.append(RepProblem(field: "capacity", problem: "required (the most open leads the rep may hold)"))
        }
        func whole(_ value: Double?, _ field: String) -> Int? {
            guard let value else { return nil }
            guard value.rounded() == value, abs(value) < 1e9 else {
                problems.append(RepProblem(field: field, problem: "must be a whole number, got \(value)"))
                return nil
            }
            return Int(value)
        }
        let capacity = whole(input.capacity, "capacity")
        let seniority = whole(input.seniority, "seniority")
        let defaults = Rep(id: pathId, name: "", teamId: "", capacity: 0)
        let rep = Rep(
            id: pathId,
            name: trimmed(input.name ?? ""),
            teamId: trimmed(input.teamId ?? ""),
            supervisorId: input.supervisorId.map(trimmed).flatMap { $0.isEmpty ? nil : $0 },
            regions: (input.regions ?? defaults.regions).map(trimmed),
            productLines: (input.productLines ?? defaults.productLines).map(trimmed),
            industries: (input.industries ?? defaults.industries).map(trimmed),
            languages: (input.languages ?? defaults.languages).map(trimmed),
            workingHours: input.workingHours ?? defaults.workingHours,
            timeZone: trimmed(input.timeZone ?? defaults.timeZone),
            active: input.active ?? defaults.active,
            onLeave: input.onLeave ?? defaults.onLeave,
            capacity: capacity ?? defaults.capacity,
            seniority: seniority ?? defaults.seniority)
        let reported = Set(problems.map(\.field))
        problems += RepValidator.validate(rep).filter { !reported.contains($0.field) }
        return problems.isEmpty ? .success(rep) : .failure(RepValidationError(problems))
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A decoding error as a field problem: `onLeave[1].end: not an RFC 3339 timestamp`.
    static func problem(_ error: DecodingError) -> RepProblem {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return text.isEmpty ? "$" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return RepProblem(field: path(context.codingPath + [key]), problem: "required")
        case .typeMismatch(let type, let context):
            return RepProblem(field: path(context.codingPath), problem: "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return RepProblem(field: path(context.codingPath), problem: "must not be null (expected \(describe(type)))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.contains("weekdays") {
                return RepProblem(field: field, problem: "a day is a number from 1 (Monday) to 7 (Sunday)")
            }
            return RepProblem(field: field, problem: context.debugDescription)
        @unknown default:
            return RepProblem(field: "$", problem: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
