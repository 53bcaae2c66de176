import SluiceHTTP

/// One entry of the route table: method, path pattern with `{parameter}` segments, endpoint and
/// the token class it accepts.
public struct APIRoute: Sendable {
    public var method: HTTPMethod
    /// E.g. `/v1/consumers/{id}/api-keys/{key_id}`.
    public var pattern: String
    public var endpoint: APIEndpoint
    public var access: APIAccess
    let segments: [Segment]

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public init(_ method: HTTPMethod, _ pattern: String, _ endpoint: APIEndpoint, access: APIAccess = .admin) {
        self.method = method
        self.pattern = pattern
        self.endpoint = endpoint
        self.access = access
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The parameter names in pattern order.
    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    /// The decoded parameter values if `pathSegments` fit the pattern, else nil.
    func match(_ pathSegments: [String]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, text) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard literal == text else { return nil }
            case .parameter(let name):
                guard let value = PercentDecoding.decode(text), !value.isEmpty else { return nil }
                parameters[name] = value
            }
        }
        return parameters
    }
}

extension HTTPMethod {
    /// The method's name as written in a request line and in `Allow`.
    public var name: String {
        switch self {
        case .GET: "GET"
        case .HEAD: "HEAD"
        case .POST: "POST"
        case .PUT: "PUT"
        case .DELETE: "DELETE"
        case .PATCH: "PATCH"
        case .OPTIONS: "OPTIONS"
        case .TRACE: "TRACE"
        case .CONNECT: "CONNECT"
        case .other: "OTHER"
        }
    }
}
