import SluiceConfig

/// A token whose signature and claims `JWTVerifier` accepted. Immutable and shared: a cache
/// hit returns the same instance (no allocation).
public final class VerifiedToken: Sendable {
    /// The `kid` of the key that verified it.
    public let kid: String
    /// The `sub` claim, if present (a string: other types are refused as malformed).
    public let subject: String?
    /// The `exp` claim (NumericDate, seconds since the epoch, fractions allowed), if present.
    public let expiration: Double?
    /// The `nbf` claim, if present.
    public let notBefore: Double?
    /// The payload's members in token order (names unique: the JSON parser refuses duplicates).
    public let claims: [JSONValue.Member]

    init(kid: String, subject: String?, expiration: Double?, notBefore: Double?, claims: [JSONValue.Member]) {
        self.kid = kid
        self.subject = subject
        self.expiration = expiration
        self.notBefore = notBefore
        self.claims = claims
    }

    /// The top-level claim named `name`, or nil.
    public func claim(_ name: String) -> JSONValue? {
        claims.first { $0.key == name }?.value
    }

    /// A top-level claim as text safe to put in a request header (for `claims_to_headers`):
    /// strings as they are, integers, numbers and booleans as their JSON text. Nil when the
    /// claim is absent, null, an array or an object, or when the text is empty or holds a
    /// control character (U+0000–U+001F, U+007F: CR/LF would split the header).
    /// Linear in the claim count and the value's length; allocates the returned string.
    public func headerValue(forClaim name: String) -> String? {
        let text: String
        switch claim(name) {
        case .string(let value): text = value
        case .integer(let value): text = String(value)
        case .number(let value): text = value.description
        case .bool(let value): text = value ? "true" : "false"
        default: return nil
        }
        guard !text.isEmpty, !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        return text
    }
}
