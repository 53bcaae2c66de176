import Testing
import SluiceConfig
@testable import SluicePolicy

/// Keys made with `openssl genpkey` for these tests only.
enum TestKeys {
    static let rsa2048 = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApHPguseeL2pTe+8EmlDO
        Nj+gBDW3pq9ZJadqPLu96P0jHmhAi1+MAJNheJ44yH5rXaXyxzPkO014f64Fiv4X
        a37hqe9i02mz6XGphrna5dHJfNnctjldZyyfe1CqN525/c9kZC/fCxk5Cp6pgyQ6
        BPYXBd46fhccyf+XH6vAZX7L6gosyUb2zq2SAUUC+HaMh60FWpmY0HuQWZ1CYKsc
        SVX5XqyTGR2Zib2Kd8/oHY2gPn/+ZK6aoRwQRoYBqeNehpMDJSQNgfjWS/Mvn2AJ
        E+wFygYll8GTvaQvwUwVzhErw5EbAVdI8pBWjngXy6jJJQ6eoQqkez9ayQSilZGd
        dwIDAQAB
        -----END PUBLIC KEY-----

        """
    static let ecP256 = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJtlSQhXCnGWXDklsAs4tMQjP0qn6
        RfSRe/fW8OZvoPN6YhwgLdco7GIMQ7c7n3VgrgLq0VpRZOo9oQVK9ouJCQ==
        -----END PUBLIC KEY-----

        """
    /// The first 48 bytes of an RSA key's DER: PEM-shaped (base64, a SEQUENCE tag) but truncated,
    /// so it passes the control plane's shape check and only OpenSSL can refuse it.
    static let notAKey = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApHPguseeL2pTe+8EmlDO\n-----END PUBLIC KEY-----\n"
}

@Suite struct JWTPublicKeyTests {
    @Test(arguments: [JWTAlgorithm.rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
    func rsaKeysLoadForRSAAlgorithms(_ algorithm: JWTAlgorithm) throws {
        #expect(try JWTPublicKey.load(pem: TestKeys.rsa2048, algorithm: algorithm).algorithm == algorithm)
    }

    @Test func ecKeyLoadsForItsCurveOnly() throws {
        #expect(try JWTPublicKey.load(pem: TestKeys.ecP256, algorithm: .es256).algorithm == .es256)
        #expect(throws: JWTKeyError(kind: .wrongSize(expected: "a key on the P-384 curve"), algorithm: .es384, detail: "")) {
            try JWTPublicKey.load(pem: TestKeys.ecP256, algorithm: .es384)
        }
    }

    @Test func aKeyOfTheWrongTypeIsRefused() {
        // Algorithm confusion: an EC key declared for RS256, an RSA key for ES256 or EdDSA.
        #expect(throws: JWTKeyError(kind: .wrongKeyType(expected: "an RSA key"), algorithm: .rs256, detail: "")) {
            try JWTPublicKey.load(pem: TestKeys.ecP256, algorithm: .rs256)
        }
        #expect(throws: JWTKeyError(kind: .wrongKeyType(expected: "an EC key"), algorithm: .es256, detail: "")) {
            try JWTPublicKey.load(pem: TestKeys.rsa2048, algorithm: .es256)
        }
        #expect(throws: JWTKeyError(kind: .wrongKeyType(expected: "an Ed25519 key"), algorithm: .edDSA, detail: "")) {
            try JWTPublicKey.load(pem: TestKeys.rsa2048, algorithm: .edDSA)
        }
        #expect(throws: JWTKeyError.self) { try JWTPublicKey.load(pem: TestKeys.rsa2048, algorithm: .hs256) }
    }

    @Test func bytesOpenSSLCannotReadAreRefused() {
        do {
            _ = try JWTPublicKey.load(pem: TestKeys.notAKey, algorithm: .rs256)
            Issue.record("a non-key was loaded")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description.hasPrefix("OpenSSL cannot read this public key for RS256"))
        }
    }
}
