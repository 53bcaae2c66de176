/// Rules for the request header names a route configures (`api_key_header`, the headers of
/// `claims_to_headers`): an RFC 9110 §5.1 field name (a `token`), at most 128 bytes, and not a
/// name the proxy owns or that changes how a message is framed or routed (compared ignoring case,
/// with `_` read as `-`).
public enum HeaderNameSyntax {
    static let maximumLength = 128

    /// Names refused whatever their case: hop-by-hop fields (RFC 9110 §7.6.1), framing fields
    /// (RFC 9112 §6), credentials and routing, and the fields the proxy sets itself.
    static let reservedNames: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization", "content-length", "expect", "authorization", "host",
        "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-request-id",
    ]

    /// Identity headers the proxy sends upstream (`X-Consumer-Id`, `X-Consumer-Tier`, …).
    static let reservedPrefix = "x-consumer-"

    /// The problem with `name` as a header a route reads or sets, or nil. `field` names the JSON
    /// field in messages.
    static func problem(_ name: String, field: String) -> String? {
        let bytes = name.utf8
        if bytes.isEmpty || bytes.count > maximumLength { return "\(field) must be 1…\(maximumLength) characters" }
        guard bytes.allSatisfy(isTokenByte) else { return "\(field) must be an HTTP field name (RFC 9110 §5.1 token)" }
        let comparable = comparableName(name)
        if reservedNames.contains(comparable) || comparable.hasPrefix(reservedPrefix) {
            return "\(field) must not be \(name): the proxy owns that header"
        }
        return nil
    }

    /// `name` as servers compare it: lowercase, and `_` read as `-` (CGI-style servers turn both
    /// into the same variable, so `X_Consumer_Id` would reach an application as `X-Consumer-Id`).
    public static func comparableName(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
