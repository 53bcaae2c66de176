import Testing
import SluiceConfig
@testable import SluicePolicy

/// Random byte mutations of a valid token (deterministic generator): a changed token is never
/// accepted, whether or not the original is cached, and nothing traps.
@Suite struct JWTVerifierMutationTests {
    /// SplitMix64 (Steele, Lea, Flood 2014): a fixed seed makes every run the same.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    @Test(arguments: [JWTAlgorithm.hs256, .es256, .edDSA])
    func mutatedTokensAreNeverAccepted(_ algorithm: JWTAlgorithm) throws {
        let signer = try JWTFixtures.signer(algorithm)
        let verifier = try JWTFixtures.verifier(signer)
        let original = Array(JWTFixtures.mint(signer).utf8)
        _ = try verifier.verify(original, now: JWTFixtures.now)   // cached: mutations must not hit it
        var generator = Generator(state: 0x5EED_0000 &+ UInt64(original.count))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u{0}\u{FF}".utf8)
        var accepted = 0
        for _ in 0..<1500 {
            var token = original
            for _ in 0...generator.below(3) {
                switch generator.below(3) {
                case 0: token[generator.below(token.count)] = alphabet[generator.below(alphabet.count)]
                case 1: token.insert(alphabet[generator.below(alphabet.count)], at: generator.below(token.count + 1))
                default: if token.count > 1 { token.remove(at: generator.below(token.count)) }
                }
            }
            guard token != original else { continue }
            if (try? verifier.verify(token, now: JWTFixtures.now)) != nil { accepted += 1 }
        }
        #expect(accepted == 0)
        #expect(verifier.cacheHits == 0)
    }
}
