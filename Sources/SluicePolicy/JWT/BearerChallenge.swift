/// `WWW-Authenticate` values for the Bearer scheme (RFC 6750 §3).
///
/// Values are built from our own fixed texts (`JWTError.description`) and the configured realm;
/// never from the token. Characters that cannot appear in a quoted-string unescaped (`"`, `\`,
/// controls) are dropped from the realm.
public enum BearerChallenge {
    /// The challenge for a request with no credentials (RFC 6750 §3.1: no error code then):
    /// `Bearer realm="..."`, or just `Bearer`.
    public static func missingToken(realm: String? = nil) -> String {
        guard let realm else { return "Bearer" }
        return "Bearer realm=\"\(quotedStringSafe(realm))\""
    }

    /// The challenge for a refused token: `Bearer [realm="...", ]error="invalid_token",
    /// error_description="..."`.
    public static func invalidToken(_ error: JWTError, realm: String? = nil) -> String {
        var value = "Bearer "
        if let realm { value += "realm=\"\(quotedStringSafe(realm))\", " }
        value += "error=\"invalid_token\", error_description=\"\(quotedStringSafe(error.description))\""
        return value
    }

    /// RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E; the realm is kept to the
    /// same set.
    static func quotedStringSafe(_ text: String) -> String {
        String(decoding: text.utf8.filter { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C }, as: UTF8.self)
    }
}
