import Foundation
import HTTPTypes
import Hummingbird

/// JSON responses in the system's one JSON dialect (sorted keys, RFC 3339 timestamps).
public enum JSONResponse {
    public static func make<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) -> Response {
        let data = (try? CRMJSON.encoder().encode(value)) ?? Data(#"{"error":"response could not be encoded"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": message}`: what a client did wrong or what is missing, in words.
    public static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        make(status, ["error": message])
    }
}

extension Request {
    /// The body, refusing more than `limit` bytes with 413.
    public mutating func bodyBytes(limit: Int) async throws -> [UInt8] {
        do {
            let buffer = try await collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(limit) bytes.")
        }
    }

    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}
