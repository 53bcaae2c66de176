import SluiceConfig

/// The JWT keys of one config version: several may be active at once (rotation), selected by
/// `kid`. Built once when a config is compiled (off the hot path), immutable, shared by every
/// worker; each worker's `JWTVerifier` verifies against one key set.
///
/// Kids are unique in a validated config; should two keys share one, the first wins.
public final class JWTKeySet: Sendable {
    public let keys: [JWTKey]
    /// By the kid's UTF-8 bytes: an opaque string matched byte for byte (Swift `String` equality
    /// would match canonically equivalent spellings such as `e\u{301}` and `\u{E9}`).
    private let indexByKid: [[UInt8]: Int]
    /// Keys by algorithm, for tokens without `kid` (tried in config order).
    private let indicesByAlgorithm: [JWTAlgorithm: [Int]]

    public init(keys: [JWTKey]) {
        self.keys = keys
        var byKid: [[UInt8]: Int] = [:]
        var byAlgorithm: [JWTAlgorithm: [Int]] = [:]
        for (index, key) in keys.enumerated() {
            let kid = Array(key.kid.utf8)
            if byKid[kid] == nil { byKid[kid] = index }
            byAlgorithm[key.algorithm, default: []].append(index)
        }
        indexByKid = byKid
        indicesByAlgorithm = byAlgorithm
    }

    /// The key with this `kid`, or nil.
    func key(kid: String) -> JWTKey? {
        indexByKid[Array(kid.utf8)].map { keys[$0] }
    }

    /// Indices of the keys for `algorithm`, in config order.
    func keyIndices(for algorithm: JWTAlgorithm) -> [Int] {
        indicesByAlgorithm[algorithm] ?? []
    }
}
