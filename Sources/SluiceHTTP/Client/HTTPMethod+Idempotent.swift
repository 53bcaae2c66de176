extension HTTPMethod {
    /// RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE (safe) plus PUT and DELETE are idempotent.
    /// `.other` is treated as not idempotent (unknown semantics).
    public var isIdempotent: Bool {
        switch self {
        case .GET, .HEAD, .OPTIONS, .TRACE, .PUT, .DELETE: return true
        case .POST, .PATCH, .CONNECT, .other: return false
        }
    }
}
