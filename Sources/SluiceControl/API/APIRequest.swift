import SluiceHTTP

/// One admin or data-plane API request, copied out of the engine's buffers once its body is
/// complete: method, path (as sent, not decoded), query parameters (percent-decoded, last one
/// wins), the two fields the API reads, and the body (at most `ControlAPIHandler.maxBodyBytes`).
/// Plain values: `Sendable`, independent of the connection's lifetime.
public struct APIRequest: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var query: [String: String]
    /// The `Authorization` field value; never logged or echoed.
    public var authorization: String?
    public var ifMatch: String?
    public var body: [UInt8]

    public init(method: HTTPMethod, path: String, query: [String: String] = [:], authorization: String? = nil,
                ifMatch: String? = nil, body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.authorization = authorization
        self.ifMatch = ifMatch
        self.body = body
    }

    /// Copies what the API needs out of a parsed head (`bytes` is the head the ranges index into).
    init(head: HTTPRequestHead, bytes: ByteView) {
        method = head.method
        path = bytes[head.pathRange].string
        query = Self.parseQuery(bytes[head.queryRange].string)
        authorization = nil
        ifMatch = nil
        body = []
        for (index, field) in head.fields.enumerated() {
            if head.knownFields[index] == .authorization {
                authorization = bytes[field.valueRange].string
            } else if bytes[field.nameRange].equalsCaseInsensitive("if-match") {
                ifMatch = bytes[field.valueRange].string
            }
        }
    }

    /// `?a=1&b=x%20y` → `["a": "1", "b": "x y"]` (`+` is a space, as in HTML forms).
    static func parseQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        let body = text.hasPrefix("?") ? text.dropFirst() : Substring(text)
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(String(parts[0]), plusIsSpace: true) ?? String(parts[0])
            let value = parts.count > 1 ? (PercentDecoding.decode(String(parts[1]), plusIsSpace: true) ?? String(parts[1])) : ""
            result[name] = value
        }
        return result
    }

    /// The bearer token of `Authorization: Bearer <token>` (scheme case-insensitive), or nil.
    var bearerToken: String? {
        guard let authorization else { return nil }
        let trimmed = authorization.drop(while: { $0 == " " })
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).trimmingSpaces
        return token.isEmpty ? nil : String(token)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}
