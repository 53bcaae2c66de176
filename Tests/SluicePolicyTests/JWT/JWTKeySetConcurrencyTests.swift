import Dispatch
import Synchronization
import Testing
import SluiceConfig
@testable import SluicePolicy

/// One key set shared by several worker threads, each with its own verifier (the data plane's
/// arrangement): every thread accepts the genuine tokens and refuses the forged ones.
@Suite struct JWTKeySetConcurrencyTests {
    @Test func workersShareOneKeySet() throws {
        let algorithms: [JWTAlgorithm] = [.hs256, .rs256, .ps256, .es256, .edDSA]
        var keys: [JWTKey] = []
        var genuine: [String] = []
        var forged: [String] = []
        for algorithm in algorithms {
            let signer = try JWTFixtures.signer(algorithm)
            keys.append(try JWTFixtures.key(signer, kid: algorithm.rawValue))
            for index in 0..<20 {
                genuine.append(JWTFixtures.mint(signer, kid: algorithm.rawValue, claims: #"{"sub":"user-\#(index)"}"#))
            }
            let token = JWTFixtures.mint(signer, kid: algorithm.rawValue, claims: #"{"sub":"user-0"}"#)
            let parts = token.split(separator: ".").map(String.init)
            forged.append(parts[0] + "." + Base64URL.encode(Array(#"{"sub":"admin"}"#.utf8)) + "." + parts[2])
        }
        let keySet = JWTKeySet(keys: keys)
        let failures = Atomic<Int>(0)
        let genuineTokens = genuine
        let forgedTokens = forged
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            // Capacity 0: every verification runs OpenSSL on the shared keys.
            let verifier = JWTVerifier(keySet: keySet, cacheCapacity: worker == 0 ? 4096 : 0)
            for _ in 0..<3 {
                for token in genuineTokens where (try? verifier.verify(token, now: JWTFixtures.now)) == nil {
                    failures.add(1, ordering: .relaxed)
                }
                for token in forgedTokens where (try? verifier.verify(token, now: JWTFixtures.now)) != nil {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }
}
