import SluicePolicy
import Testing

@Suite struct RateLimitKeyBuilderTests {
    @Test func sameInputSameKeyAndBoundariesMatter() {
        let builder = RateLimitKeyBuilder(seedHigh: 1, seedLow: 1)
        #expect(builder.key(scope: "user", identity: "alice") == builder.key(scope: "user", identity: "alice"))
        #expect(builder.key(scope: "user", identity: "alice") == builder.key(scope: Array("user".utf8),
                                                                            identity: Array("alice".utf8)))
        #expect(builder.key(scope: "ab", identity: "c") != builder.key(scope: "a", identity: "bc"))
        #expect(builder.key(scope: "user", identity: "") != builder.key(scope: "user", identity: "\0"))
        #expect(builder.key(scope: "user", identity: "alice") != builder.key(scope: "org", identity: "alice"))
    }

    @Test func seedsDifferAndNoCollisionsAmongManyKeys() {
        let one = RateLimitKeyBuilder(seedHigh: 1, seedLow: 1)
        let other = RateLimitKeyBuilder()
        #expect(one.key(scope: "user", identity: "alice") != other.key(scope: "user", identity: "alice"))
        var seen = Set<RateLimitKey>()
        var highs = Set<UInt64>()
        var lows = Set<UInt64>()
        for index in 0..<50_000 {
            let key = one.key(scope: "ip", identity: "10.0.\(index / 256).\(index % 256)")
            seen.insert(key)
            highs.insert(key.high)
            lows.insert(key.low)
            #expect(key.low & 1 == 1)
        }
        #expect(seen.count == 50_000)
        #expect(highs.count == 50_000)  // each half alone already separates these keys
        #expect(lows.count == 50_000)
    }
}
