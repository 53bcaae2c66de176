import SluiceConfig

/// Why OpenSSL would not take a JWT verification key. Never carries key material.
public struct JWTKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// OpenSSL could not read the PEM block as a public key.
        case unreadable
        /// The key's type does not fit the algorithm (e.g. an EC key for RS256).
        case wrongKeyType(expected: String)
        /// Too weak for the algorithm (RSA under 2048 bits, RFC 7518 §3.3) or the wrong curve.
        case wrongSize(expected: String)
    }

    public var kind: Kind
    public var algorithm: JWTAlgorithm
    /// OpenSSL's own reason, when it gave one.
    public var detail: String

    public var description: String {
        switch kind {
        case .unreadable:
            return "OpenSSL cannot read this public key for \(algorithm.rawValue)" + (detail.isEmpty ? "" : ": \(detail)")
        case .wrongKeyType(let expected):
            return "\(algorithm.rawValue) needs \(expected)"
        case .wrongSize(let expected):
            return "\(algorithm.rawValue) needs \(expected)"
        }
    }
}
