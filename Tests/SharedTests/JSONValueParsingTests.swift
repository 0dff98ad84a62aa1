import Foundation
import Testing
@testable import Shared

@Suite("JSONValue parser")
struct JSONValueParsingTests {
    @Test("valid documents parse to the expected values", arguments: [
        (#"{"a": 1, "b": [true, false, null], "c": "x"}"#,
         JSONValue.object(["a": .number(1), "b": .array([.bool(true), .bool(false), .null]), "c": .string("x")])),
        (#"  [ -0.5e2 , 0 , 12.25E-1 ]  "#, .array([.number(-50), .number(0), .number(1.225)])),
        (#""张伟 \"经理\" \\ \/ \n\t""#, .string("张伟 \"经理\" \\ / \n\t")),
        (#""\u5f20\u4f1f \ud83d\ude00""#, .string("张伟 😀")),
        (#"{"nested": {"deeper": {"deepest": []}}}"#, .object(["nested": .object(["deeper": .object(["deepest": .array([])])])])),
        (#"{"dup": 1, "dup": 2}"#, .object(["dup": .number(2)])),
        ("850000", .number(850_000)),
    ])
    func valid(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
    }

    @Test("text that is not JSON is refused, never trapped on", arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"open",
        "\"bad \\x escape\"", "\"lone \\ud800 surrogate\"", "\"\\udc00\"", "\"tab\there\"", "[1] 2", "{'a': 1}", "NaN", "1e999",
    ])
    func invalid(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("nesting bombs stop at the depth limit with an error")
    func depthLimit() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Data(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONValue.parse(Data(fine.utf8), maxDepth: 100) != .null)
    }

    @Test("the parser and JSONSerialization agree on a submission")
    func agreesWithFoundation() throws {
        let text = #"{"submissionId":"web-1","contact":{"phone":"138 0013 8000","name":"张伟"},"interest":{"budget":850000.5},"tags":["a","b"],"ok":true}"#
        let parsed = try JSONValue.parse(Data(text.utf8))
        let reencoded = try CRMJSON.encoder().encode(parsed)
        let viaFoundation = try JSONSerialization.jsonObject(with: reencoded) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(viaFoundation == original)
    }
}
