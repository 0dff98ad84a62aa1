import Hummingbird

/// Requires `X-API-Key` to be one of the configured keys (`CRM_API_KEYS`). A missing or wrong key
/// gets 401 and the request goes no further.
public struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var headerName: String { "X-API-Key" }
    private let keys: Set<String>

    public init(keys: Set<String>) {
        self.keys = keys
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = request.header(Self.headerName), !key.isEmpty else {
            return JSONResponse.error(.unauthorized, "Send your API key in the \(Self.headerName) header.")
        }
        guard keys.contains(key) else {
            return JSONResponse.error(.unauthorized, "The API key in \(Self.headerName) is not valid.")
        }
        return try await next(request, context)
    }
}
