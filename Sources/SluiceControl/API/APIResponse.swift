import SluiceConfig

/// What an endpoint answers: status, extra header fields and a JSON body (empty for 204/304).
///
/// Every error body has one shape, whatever the status:
/// `{"errors": [{"pointer": "/targets/0/url", "message": "..."}]}` — `pointer` is an RFC 6901
/// pointer into the request body for 422s and `""` when the error is about the request as a whole.
/// Messages never contain a token or key.
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body (compact).
    public static func json(_ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> APIResponse {
        APIResponse(status: status, headers: headers, body: JSONWriter.compact(value))
    }

    public static func problems(_ status: Int, _ problems: [ConfigProblem],
                                headers: [(name: String, value: String)] = []) -> APIResponse {
        json(status, .object([.init("errors", .array(problems.map(\.jsonValue)))]), headers: headers)
    }

    /// An error about the request as a whole (pointer `""`).
    public static func error(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) -> APIResponse {
        problems(status, [ConfigProblem(pointer: "", message: message)], headers: headers)
    }

    public static let noContent = APIResponse(status: 204)

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
