import SluicePolicy
import Testing

@Suite struct RateLimitHeaderValueTests {
    let keys = RateLimitKeyBuilder(seedHigh: 11, seedLow: 12)
    let t0 = RateLimitTestClock.start

    func decidedBatch() throws -> RateLimitBatch {
        let table = RateLimitTable(maxKeys: 1024)
        let user = keys.key(scope: "user", identity: "liz")
        var batch = RateLimitBatch()
        batch.append(key: user, rule: try .tokenBucket(requestsPerSecond: 100, burst: 100), policy: .burst)
        batch.append(key: user, rule: try .slidingWindow(limit: 1000, windowSeconds: 86_400), policy: .daily)
        for _ in 0..<58 { _ = table.decide(&batch, now: t0) }
        return batch
    }

    @Test func policyField() throws {
        var bytes: [UInt8] = []
        RateLimitHeaderValue.appendPolicy(of: try decidedBatch(), to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""burst";q=100;w=1, "daily";q=1000;w=86400"#)
    }

    @Test func rateLimitFieldMostRestrictiveAndAll() throws {
        let batch = try decidedBatch()
        var bytes: [UInt8] = []
        RateLimitHeaderValue.appendRateLimit(of: batch, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""burst";r=42;t=1"#)
        bytes.removeAll(keepingCapacity: true)
        RateLimitHeaderValue.appendRateLimit(of: batch, selection: .all, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""burst";r=42;t=1, "daily";r=942;t=86400"#)
    }

    @Test func retryAfterAndNumbers() {
        var bytes: [UInt8] = []
        RateLimitHeaderValue.appendRetryAfter(seconds: 7, to: &bytes)
        #expect(bytes == Array("7".utf8))
        bytes.removeAll()
        RateLimitHeaderValue.appendRetryAfter(seconds: 0, to: &bytes)
        #expect(bytes == Array("0".utf8))
        bytes.removeAll()
        RateLimitHeaderValue.appendRetryAfter(seconds: UInt64.max, to: &bytes)
        #expect(bytes == Array("\(UInt64.max)".utf8))
    }

    @Test func allPolicyNames() {
        let names = RateLimitPolicyName.allCases.map { String(decoding: $0.quotedBytes, as: UTF8.self) }
        #expect(names == [#""burst""#, #""minute""#, #""daily""#, #""org-burst""#, #""org-minute""#,
                          #""org-daily""#, #""route-burst""#, #""route-minute""#, #""route-daily""#])
    }
}
