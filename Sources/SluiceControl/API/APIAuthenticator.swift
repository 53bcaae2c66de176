/// Decides which token class a request's bearer token belongs to.
///
/// Admin tokens: the configured one (environment or file, compared in constant time as SHA-256 digests, so not even the length leaks) and those
/// stored hashed in the database (checked by `storedAdminToken`, which returns the token's id).
/// The data-plane token: the configured one only. Tokens are never logged, echoed or put in an
/// error message. Thread-safety: immutable, `Sendable`.
public struct APIAuthenticator: Sendable {
    /// The configured admin token and the actor name audit entries record for it.
    public var configuredAdminToken: (token: String, actor: String)?
    public var dataplaneToken: String?
    /// Looks a token up among the stored admin tokens; returns its id (the audit actor) or nil.
    public var storedAdminToken: @Sendable (String) -> String?

    public init(configuredAdminToken: (token: String, actor: String)?, dataplaneToken: String?,
                storedAdminToken: @escaping @Sendable (String) -> String?) {
        self.configuredAdminToken = configuredAdminToken
        self.dataplaneToken = dataplaneToken
        self.storedAdminToken = storedAdminToken
    }

    public enum Identity: Sendable, Equatable {
        /// An admin token; `actor` names it in the audit log (never the token itself).
        case admin(actor: String)
        case dataplane
        /// No token, another scheme, or a token nobody issued.
        case unknown
    }

    public func identify(_ request: APIRequest) -> Identity {
        guard let token = request.bearerToken else { return .unknown }
        // Both configured tokens are always compared, so timing does not tell which class matched.
        let isConfiguredAdmin = configuredAdminToken.map { ConstantTime.equals($0.token, token) } ?? false
        let isDataplane = dataplaneToken.map { ConstantTime.equals($0, token) } ?? false
        if isConfiguredAdmin, let actor = configuredAdminToken?.actor { return .admin(actor: actor) }
        if isDataplane { return .dataplane }
        if let actor = storedAdminToken(token) { return .admin(actor: actor) }
        return .unknown
    }

    /// The response refusing `identity` on a route of class `access`, or nil when it may pass:
    /// 401 with `WWW-Authenticate: Bearer` for no or an unknown token, 403 for the other class.
    public func refusal(of identity: Identity, for access: APIAccess) -> APIResponse? {
        switch (access, identity) {
        case (.open, _), (.admin, .admin), (.dataplane, .dataplane):
            return nil
        case (_, .unknown):
            return .error(401, "missing or invalid bearer token", headers: [("WWW-Authenticate", #"Bearer realm="sluice""#)])
        case (.admin, .dataplane):
            return .error(403, "the data-plane token cannot use the admin API")
        case (.dataplane, .admin):
            return .error(403, "admin tokens cannot use the data-plane API")
        }
    }
}
