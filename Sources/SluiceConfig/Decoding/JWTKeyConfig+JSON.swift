extension JWTKeyConfig: SnapshotEntity {
    public static let collectionKey = "jwt_keys"
    public static let identityKey = "kid"
    public var identity: String { kid }

    /// The secret is written in standard base64 with padding, whatever form it was read in; a
    /// `jwk` is written as it was read.
    public var jsonValue: JSONValue {
        var members: [JSONValue.Member] = [.init("kid", .string(kid)), .init("alg", .string(alg.rawValue))]
        if let secret { members.append(.init("secret", .string(Base64.encode(secret)))) }
        if let publicKeyPEM { members.append(.init("public_key_pem", .string(publicKeyPEM))) }
        if let jwk { members.append(.init("jwk", jwk)) }
        if let issuer { members.append(.init("issuer", .string(issuer))) }
        members.append(.init("audiences", .array(audiences.map { .string($0) })))
        members.append(.init("leeway_seconds", .integer(Int64(leewaySeconds))))
        return .object(members)
    }

    public init(json: JSONValue) throws(ConfigError) {
        self = try Self.decodeAlone(json, Self.decode)
    }

    static let fields = ["kid", "alg", "secret", "public_key_pem", "jwk", "issuer", "audiences", "leeway_seconds"]

    static func decode(_ value: JSONValue, at pointer: String, into decoding: inout ConfigDecoding) -> JWTKeyConfig? {
        let before = decoding.problems.count
        guard let object = decoding.object(value, at: pointer, fields: fields) else { return nil }
        let kid = decoding.string(object, "kid", required: true)
        let alg: JWTAlgorithm? = decoding.choice(object, "alg", required: true)
        let secretText = decoding.string(object, "secret")
        let pem = decoding.string(object, "public_key_pem")
        // The JWK is kept as written; its members are checked by `problems(at:)` (JWKSyntax).
        let jwk = decoding.value(object, "jwk", required: false)
        switch jwk {
        case .object?, nil: break
        case let other?: decoding.report(object.pointer("jwk"), "expected object, found \(other.typeName)")
        }
        let issuer = decoding.string(object, "issuer")
        let audiences = decoding.stringArray(object, "audiences")
        let leeway = decoding.integer(object, "leeway_seconds")
        var secret: [UInt8]?
        if let secretText {
            secret = Base64.decode(secretText)
            if secret == nil { decoding.report(object.pointer("secret"), "secret is not valid base64") }
        }
        guard decoding.problems.count == before, let kid, let alg else { return nil }
        return JWTKeyConfig(kid: kid, alg: alg, secret: secret, publicKeyPEM: pem, jwk: jwk, issuer: issuer,
                            audiences: audiences ?? [], leewaySeconds: leeway ?? JWTKeyConfig.defaultLeewaySeconds)
            .checked(at: pointer, into: &decoding)
    }
}
