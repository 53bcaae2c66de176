/// What the policy step decided for one request (`PolicyEvaluator.evaluate`).
enum PolicyOutcome {
    /// Forward now.
    case proceed
    /// Shape mode: forward after this wait (the budget is already taken).
    case delay(nanoseconds: UInt64)
    /// 401: no acceptable credentials (details in `PolicyEvaluator.refusal`).
    case unauthorized
    /// 429: a limit refused; nothing was consumed (`Retry-After` in `PolicyEvaluator.retryAfterValue`).
    case limited
}

/// Why a request's credentials were refused: the answer's parts.
struct AuthRefusal {
    /// Short stable label for metrics (`missing`, `expired`, `bad_signature`, `unknown_api_key`, …).
    let reason: String
    /// The JSON body's `error`.
    let message: StaticString
    /// `WWW-Authenticate` value(s), one field line each.
    let challenges: [String]
}
