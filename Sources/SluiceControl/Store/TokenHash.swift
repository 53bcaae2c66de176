/// One `admin_tokens` row's id and hash, read for verification.
struct TokenHash: Sendable {
    var id: String
    var hash: String
}
