// sluice-jwt-bench: JWT verifications per second per algorithm (uncached, one thread) and the
// cost of a cached verify (best of three runs each). Release builds only: `swift build -c release --product sluice-jwt-bench`.
// Usage: sluice-jwt-bench [seconds per measurement, default 1] [--cached-only | --only ALG]
import Glibc  // links libm for rounded()
import SluiceConfig
import SluicePolicy

let secondsPerRun = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 1 : 1
let cachedOnly = CommandLine.arguments.contains("--cached-only")
let onlyAlgorithm = CommandLine.arguments.firstIndex(of: "--only").flatMap {
    $0 + 1 < CommandLine.arguments.count ? JWTAlgorithm(rawValue: CommandLine.arguments[$0 + 1]) : nil
}
let now = 1_800_000_000.0
let claims = #"{"iss":"https://id.example","sub":"user-42","aud":"api","exp":1800003600,"iat":1800000000,"email":"user42@example.com"}"#

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) / 1e18
}

/// Runs `body` in batches until `secondsPerRun` have passed, three times, and returns the best
/// run's (iterations, elapsed seconds): the machine is shared, the best run is the least disturbed.
func measure(batch: Int, _ body: () throws -> Void) rethrows -> (Int, Double) {
    let clock = ContinuousClock()
    var best = (0, Double.infinity)
    for _ in 0..<3 {
        let start = clock.now
        var iterations = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<batch { try body() }
            iterations += batch
            elapsed = seconds(clock.now - start)
        } while elapsed < secondsPerRun
        if Double(iterations) / elapsed > Double(best.0) / best.1 { best = (iterations, elapsed) }
    }
    return best
}

func material(_ signer: JWTSigner) throws -> JWTKeyMaterial {
    if let secret = signer.secret { return try .secret(secret, algorithm: signer.algorithm) }
    guard let pem = signer.publicKeyPEM else { throw BenchFailure(description: "no PEM") }
    return try .publicKeyPEM(pem, algorithm: signer.algorithm)
}

func run() throws {
    print("| algorithm | token bytes | uncached verifications/s | µs per verification |")
    print("| --- | ---: | ---: | ---: |")
    var rs256: (JWTSigner, JWTKeySet)? = nil
    for algorithm in JWTAlgorithm.allCases where (!cachedOnly || algorithm == .rs256) && (onlyAlgorithm ?? algorithm) == algorithm {
        let signer = try JWTSigner(generating: algorithm)
        let key = JWTKey(kid: "bench", material: try material(signer), issuer: "https://id.example", audiences: ["api"])
        let keySet = JWTKeySet(keys: [key])
        if algorithm == .rs256 { rs256 = (signer, keySet) }
        let verifier = JWTVerifier(keySet: keySet, cacheCapacity: 0)
        let token = Array(signer.token(header: #"{"alg":"\#(algorithm.rawValue)","kid":"bench","typ":"JWT"}"#, payload: claims).utf8)
        _ = try verifier.verify(token, now: now)
        let batch = algorithm.isHMAC ? 1000 : 50
        let (iterations, elapsed) = try measure(batch: batch) { _ = try verifier.verify(token, now: now) }
        let perSecond = Double(iterations) / elapsed
        print("| \(algorithm.rawValue) | \(token.count) | \(Int(perSecond.rounded())) | \(format(1e6 / perSecond)) |")
    }

    guard onlyAlgorithm == nil, let (signer, keySet) = rs256 else { return }
    print("")
    print("| cached verify (RS256 tokens) | ns per verify |")
    print("| --- | ---: |")
    for distinct in [1, 1000, 4096] {
        let verifier = JWTVerifier(keySet: keySet)
        let tokens = (0..<distinct).map {
            Array(signer.token(header: #"{"alg":"RS256","kid":"bench","typ":"JWT"}"#,
                               payload: #"{"iss":"https://id.example","sub":"user-\#($0)","aud":"api","exp":1800003600,"iat":1800000000,"email":"user42@example.com"}"#).utf8)
        }
        for token in tokens { _ = try verifier.verify(token, now: now) }
        let before = verifier.signatureVerifications
        var index = 0
        let (iterations, elapsed) = try measure(batch: 10_000) {
            _ = try verifier.verify(tokens[index], now: now)
            index += 1
            if index == distinct { index = 0 }
        }
        guard verifier.signatureVerifications == before else {
            throw BenchFailure(description: "cache missed \(verifier.signatureVerifications - before) times")
        }
        print("| \(distinct) distinct token\(distinct == 1 ? "" : "s") in rotation (\(tokens[0].count) bytes) | \(format(elapsed * 1e9 / Double(iterations))) |")
    }
}

func format(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return scaled >= 100 ? String(Int(scaled.rounded())) : String(scaled)
}

do {
    try run()
} catch {
    print("sluice-jwt-bench: \(error)")
}
