/// One entry of a route's `claims_to_headers`: the value of JWT claim `claim` is sent to the
/// upstream in request header `header` (which the proxy first removes from the client's request).
/// `claim` is 1…256 characters without control characters; `header` follows
/// `RouteConfig.headerNameProblem`'s rules.
public struct ClaimHeader: Sendable, Equatable {
    public var claim: String
    public var header: String

    public init(claim: String, header: String) {
        self.claim = claim
        self.header = header
    }
}
