/// Which credentials a route requires.
public enum RouteAuth: String, Sendable, Equatable, CaseIterable {
    /// Anonymous traffic allowed (limited by client address).
    case none
    /// A valid JWT in `Authorization: Bearer`, verified with one of the snapshot's `jwt_keys`.
    case jwt
    /// A consumer's API key.
    case apiKey = "api_key"
    /// Either of the two.
    case jwtOrAPIKey = "jwt_or_api_key"
}
