import Dispatch
import Synchronization
import Testing
import SluiceConfig
import SluiceHTTP
import SluicePolicy
import SluiceTestSupport
@testable import SluiceProxy

/// Issue #6 end to end: tokens minted here, a real proxy and upstream on loopback.
@Suite struct ProxyPolicyTests {
    static let rsa = Result { try JWTSigner(generating: .rs256) }
    static let hmacSecret = [UInt8](repeating: 0x5A, count: 32)

    /// A proxy in front of one test upstream with `routes`, and the policy collections given.
    struct Setup {
        let upstream: TestUpstream
        let proxy: TestProxy

        init(routes: [RouteConfig], tiers: [TierConfig] = [], consumers: [ConsumerConfig] = [],
             orgs: [OrgConfig] = [], apiKeys: [APIKeyConfig] = [], trustedProxies: String = "") throws {
            upstream = try TestUpstream(name: "up")
            let signer = try ProxyPolicyTests.rsa.get()
            let snapshot = Snapshot(
                version: 1, upstreams: [UpstreamConfig(name: "up", targets: [TargetConfig(url: upstream.url)])],
                routes: routes, tiers: tiers, orgs: orgs, consumers: consumers, apiKeys: apiKeys,
                jwtKeys: [JWTKeyConfig(kid: "rsa-1", alg: .rs256, publicKeyPEM: signer.publicKeyPEM,
                                       issuer: "https://id.test", audiences: ["api"]),
                          JWTKeyConfig(kid: "hs-1", alg: .hs256, secret: ProxyPolicyTests.hmacSecret)])
            proxy = try TestProxy(snapshot, runtime: PolicyRuntime(rateLimitKeys: 4096,
                                                                  trustedProxies: try TrustedProxies(list: trustedProxies)))
        }

        func stop() {
            proxy.stop()
            upstream.stop()
        }

        func get(_ path: String, _ fields: [String] = []) throws -> TestHTTPResponse {
            let client = try proxy.client()
            defer { client.close() }
            var text = "GET \(path) HTTP/1.1\r\nHost: test\r\n"
            for field in fields { text += field + "\r\n" }
            try client.send(text + "\r\n")
            return try client.readResponse()
        }
    }

    static func token(kid: String = "rsa-1", sub: String? = "user-42", exp: Int? = nil, extra: String = "",
                      aud: String = "\"api\"", iss: String = "https://id.test") throws -> String {
        let expiry = exp ?? (MonotonicClock.wallSeconds() + 600)
        var payload = "{\"iss\":\"\(iss)\",\"aud\":\(aud),\"exp\":\(expiry)"
        if let sub { payload += ",\"sub\":\"\(sub)\"" }
        payload += extra + "}"
        if kid == "hs-1" {
            return try JWTSigner(secret: hmacSecret, algorithm: .hs256).token(header: "{\"alg\":\"HS256\",\"kid\":\"hs-1\"}", payload: payload)
        }
        return try rsa.get().token(header: "{\"alg\":\"RS256\",\"kid\":\"\(kid)\",\"typ\":\"JWT\"}", payload: payload)
    }

    static let jwtRoute = RouteConfig(name: "api", pathPrefix: "/api", upstream: "up", auth: .jwt)

    // MARK: Authentication

    @Test func validTokenForwardsTheIdentityAndStripsForgedCopies() throws {
        var route = Self.jwtRoute
        route.claimsToHeaders = [ClaimHeader(claim: "email", header: "X-User-Email")]
        let setup = try Setup(routes: [route], tiers: [TierConfig(name: "premium", requestsPerSecond: 1000, burst: 1000)],
                              consumers: [ConsumerConfig(id: "user-42", tier: "premium", org: "acme")])
        defer { setup.stop() }
        let token = try Self.token(extra: ",\"email\":\"ada@example.com\"")
        let response = try setup.get("/api/x", ["Authorization: Bearer \(token)", "X-Consumer-Id: admin",
                                                 "X_Consumer_Tier: gold", "X-User-Email: forged@example.com"])
        #expect(response.status == 200)
        let seen = try #require(setup.upstream.log.all.last).head
        #expect(seen.contains("X-Consumer-Id: user-42\r\n"))
        #expect(seen.contains("X-Consumer-Tier: premium\r\n"))
        #expect(seen.contains("X-User-Email: ada@example.com\r\n"))
        #expect(!seen.contains("admin") && !seen.contains("gold") && !seen.contains("forged"))
        // The token is forwarded (the upstream may want it).
        #expect(seen.contains("Authorization: Bearer \(token)"))
    }

    @Test func refusalsAre401WithABearerChallengeAndNeverEchoTheToken() throws {
        let setup = try Setup(routes: [Self.jwtRoute])
        defer { setup.stop() }

        let missing = try setup.get("/api/x")
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate") == "Bearer")
        #expect(missing.bodyText.contains("\"request_id\""))

        let expired = try Self.token(exp: MonotonicClock.wallSeconds() - 3600)
        let refused = try setup.get("/api/x", ["Authorization: Bearer \(expired)"])
        #expect(refused.status == 401)
        let challenge = try #require(refused.header("WWW-Authenticate"))
        #expect(challenge.hasPrefix("Bearer error=\"invalid_token\", error_description=\""))
        #expect(!refused.headText.contains(expired) && !refused.bodyText.contains(expired))

        let parts = try Self.token().split(separator: ".")
        let noneHeader = "eyJhbGciOiJub25lIiwia2lkIjoicnNhLTEifQ"  // {"alg":"none","kid":"rsa-1"}
        let none = try setup.get("/api/x", ["Authorization: Bearer \(noneHeader).\(parts[1])."])
        #expect(none.status == 401)

        let wrongAudience = try setup.get("/api/x", ["Authorization: Bearer \(try Self.token(aud: "\"other\""))"])
        #expect(wrongAudience.status == 401)
        var spaced = Array(try Self.token().utf8)
        spaced.insert(UInt8(ascii: " "), at: spaced.count / 2)
        let withSpace = try setup.get("/api/x", ["Authorization: Bearer \(String(decoding: spaced, as: UTF8.self))"])
        #expect(withSpace.status == 401)
        #expect(withSpace.header("WWW-Authenticate")?.contains("invalid_token") == true)
        let otherScheme = try setup.get("/api/x", ["Authorization: Basic dXNlcjpwYXNz"])
        #expect(otherScheme.status == 401 && otherScheme.header("WWW-Authenticate") == "Bearer")
        // Two Authorization fields: the upstream might read the one not verified.
        let doubled = try setup.get("/api/x", ["Authorization: Bearer \(try Self.token())", "Authorization: Bearer forged"])
        #expect(doubled.status == 401)
        #expect(doubled.header("WWW-Authenticate")?.contains("invalid_request") == true)
        #expect(setup.upstream.log.all.isEmpty)
    }

    @Test func apiKeysAreLookedUpByHashInTheRoutesHeader() throws {
        var route = RouteConfig(name: "keys", pathPrefix: "/k", upstream: "up", auth: .apiKey)
        route.apiKeyHeader = "X-Key"
        let key = "sk_live_0123456789abcdef"
        let setup = try Setup(routes: [route, RouteConfig(name: "either", pathPrefix: "/e", upstream: "up", auth: .jwtOrAPIKey)],
                              tiers: [TierConfig(name: "free", requestsPerSecond: 100)],
                              consumers: [ConsumerConfig(id: "svc-7", tier: "free")],
                              apiKeys: [APIKeyConfig(id: "key_1", consumer: "svc-7", sha256: Self.sha256(key))])
        defer { setup.stop() }
        #expect(try setup.get("/k", ["x-key: \(key)"]).status == 200)
        #expect(try #require(setup.upstream.log.all.last).head.contains("X-Consumer-Id: svc-7\r\nX-Consumer-Tier: free\r\n"))
        let wrong = try setup.get("/k", ["X-Key: \(key)x"])
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate") == "ApiKey header=\"x-key\"")
        #expect(try setup.get("/k", ["X-API-Key: \(key)"]).status == 401)  // not this route's header
        #expect(try setup.get("/k", ["X-Key: \(key)", "X-Key: other"]).status == 401)
        // jwt_or_api_key takes either, and asks for both when given neither.
        #expect(try setup.get("/e", ["X-API-Key: \(key)"]).status == 200)
        #expect(try setup.get("/e", ["Authorization: Bearer \(try Self.token(kid: "hs-1", aud: "\"api\""))"]).status == 200)
        // Basic credentials meant for the upstream do not hide a valid key; Bearer ones decide.
        #expect(try setup.get("/e", ["Authorization: Basic Zm9vOmJhcg==", "X-API-Key: \(key)"]).status == 200)
        #expect(try setup.get("/e", ["Authorization: Bearer not-a-token", "X-API-Key: \(key)"]).status == 401)
        let basicOnly = try setup.get("/e", ["Authorization: Basic Zm9vOmJhcg=="])
        #expect(basicOnly.status == 401 && basicOnly.headers.filter { $0.name == "WWW-Authenticate" }.count == 2)
        let neither = try setup.get("/e")
        #expect(neither.status == 401)
        #expect(neither.headers.filter { $0.name == "WWW-Authenticate" }.count == 2)
    }

    static func sha256(_ key: String) -> [UInt8] {
        // The digest's bytes, through the same OpenSSL call the data plane uses.
        let digest = Array(key.utf8).withUnsafeBytes { APIKeyDigest(hashing: $0) }
        return digest.bytes
    }

    // MARK: Rate limiting

    @Test func burstThenRefusedWithRetryAfterAndRateLimitHeaders() throws {
        // 0.01 r/s: no token comes back during the test, so the count is exact.
        let setup = try Setup(routes: [Self.jwtRoute], tiers: [TierConfig(name: "free", requestsPerSecond: 0.01, burst: 3)],
                              consumers: [ConsumerConfig(id: "user-42", tier: "free")])
        defer { setup.stop() }
        let auth = "Authorization: Bearer \(try Self.token())"
        for remaining in [2, 1, 0] {
            let response = try setup.get("/api/x", [auth])
            #expect(response.status == 200)
            #expect(response.header("RateLimit-Policy") == "\"burst\";q=3;w=300")
            #expect(response.header("RateLimit")?.hasPrefix("\"burst\";r=\(remaining);t=") == true)
        }
        let refused = try setup.get("/api/x", [auth])
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "100")
        #expect(refused.header("RateLimit")?.hasPrefix("\"burst\";r=0;t=") == true)
        #expect(refused.bodyText.contains("rate limit"))
        #expect(setup.upstream.log.all.count == 3)
    }

    @Test func workersShareOneBucketWithoutOverAdmission() throws {
        let upstream = try TestUpstream(name: "up")
        defer { upstream.stop() }
        var snapshot = Snapshots.single(upstream.url, route: RouteConfig(name: "all", upstream: "up"))
        snapshot.tiers = [TierConfig(name: "anonymous", requestsPerSecond: 0.01, burst: 25)]
        let proxy = try TestProxy(snapshot, workers: 2)
        defer { proxy.stop() }
        let port = proxy.port
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            // Each thread its own connections, so both workers take requests.
            for _ in 0..<10 {
                guard let client = try? TestTCPClient(port: port, timeoutSeconds: 5) else { continue }
                defer { client.close() }
                guard (try? client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")) != nil,
                      let response = try? client.readResponse() else { continue }
                statuses.withLock { $0.append(response.status) }
            }
        }
        let all = statuses.withLock { $0 }
        #expect(all.count == 80)
        #expect(all.filter { $0 == 200 }.count == 25)
        #expect(all.filter { $0 == 429 }.count == 55)
    }

    @Test func anonymousTrafficIsLimitedPerClientAddressBehindTrustedProxies() throws {
        let setup = try Setup(routes: [RouteConfig(name: "open", upstream: "up")],
                              tiers: [TierConfig(name: "anonymous", requestsPerSecond: 0.01, burst: 1)],
                              trustedProxies: "127.0.0.0/8")
        defer { setup.stop() }
        #expect(try setup.get("/", ["X-Forwarded-For: 203.0.113.1"]).status == 200)
        #expect(try setup.get("/", ["X-Forwarded-For: 203.0.113.1"]).status == 429)
        #expect(try setup.get("/", ["X-Forwarded-For: 203.0.113.2"]).status == 200)
        // A forged left element does not change the key: the nearest untrusted hop is used.
        #expect(try setup.get("/", ["X-Forwarded-For: 198.51.100.9, 203.0.113.2"]).status == 429)
    }

    @Test func unknownSubjectsGetTheDefaultTier() throws {
        let setup = try Setup(routes: [Self.jwtRoute], tiers: [TierConfig(name: "default", requestsPerSecond: 0.01, burst: 1)])
        defer { setup.stop() }
        let auth = "Authorization: Bearer \(try Self.token(sub: "stranger"))"
        #expect(try setup.get("/api", [auth]).status == 200)
        #expect(try #require(setup.upstream.log.all.last).head.contains("X-Consumer-Id: stranger\r\nX-Consumer-Tier: default\r\n"))
        #expect(try setup.get("/api", [auth]).status == 429)
        // Another subject has its own bucket.
        #expect(try setup.get("/api", ["Authorization: Bearer \(try Self.token(sub: "other"))"]).status == 200)
    }

    @Test func orgLimitsAreSharedAndARefusalConsumesNoUserBudget() throws {
        let setup = try Setup(routes: [Self.jwtRoute], tiers: [TierConfig(name: "free", requestsPerSecond: 0.01, burst: 5)],
                              consumers: [ConsumerConfig(id: "a", tier: "free", org: "acme"),
                                          ConsumerConfig(id: "b", tier: "free", org: "acme")],
                              orgs: [OrgConfig(id: "acme", limits: RateLimits(requestsPerSecond: 0.01, burst: 2))])
        defer { setup.stop() }
        let a = "Authorization: Bearer \(try Self.token(sub: "a"))"
        let b = "Authorization: Bearer \(try Self.token(sub: "b"))"
        #expect(try setup.get("/api", [a]).status == 200)
        let second = try setup.get("/api", [b])
        #expect(second.status == 200)
        #expect(second.header("RateLimit-Policy") == "\"burst\";q=5;w=500, \"org-burst\";q=2;w=200")
        let refused = try setup.get("/api", [a])
        #expect(refused.status == 429)
        #expect(refused.header("RateLimit")?.hasPrefix("\"org-burst\";r=0") == true)
        // The refusal took nothing from a's own bucket: 4 of 5 left.
        #expect(refused.headers.contains { $0.name == "RateLimit-Policy" })
    }

    @Test func routeLimitsAddToOrReplaceTheTier() throws {
        var added = RouteConfig(name: "added", pathPrefix: "/added", upstream: "up", auth: .jwt)
        added.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 0.01, burst: 1))
        var replaced = RouteConfig(name: "replaced", pathPrefix: "/replaced", upstream: "up", auth: .jwt)
        replaced.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 0.01, burst: 2), overrideTier: true)
        let setup = try Setup(routes: [added, replaced], tiers: [TierConfig(name: "free", requestsPerSecond: 0.01, burst: 10)],
                              consumers: [ConsumerConfig(id: "user-42", tier: "free")])
        defer { setup.stop() }
        let auth = "Authorization: Bearer \(try Self.token())"
        let first = try setup.get("/added", [auth])
        #expect(first.status == 200)
        #expect(first.header("RateLimit-Policy") == "\"burst\";q=10;w=1000, \"route-burst\";q=1;w=100")
        #expect(try setup.get("/added", [auth]).status == 429)
        let other = try setup.get("/replaced", [auth])
        #expect(other.status == 200)
        #expect(other.header("RateLimit-Policy") == "\"route-burst\";q=2;w=200")
    }

    @Test func shapeModeDelaysInsteadOfRefusingUpToTheMaximumDelay() throws {
        var shaped = RouteConfig(name: "shaped", pathPrefix: "/s", upstream: "up")
        shaped.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 20, burst: 1), mode: .shape,
                                                maxDelayMilliseconds: 1000)
        var tight = RouteConfig(name: "tight", pathPrefix: "/t", upstream: "up")
        tight.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 0.01, burst: 1), mode: .shape,
                                               maxDelayMilliseconds: 10)
        let setup = try Setup(routes: [shaped, tight])
        defer { setup.stop() }
        let started = MonotonicClock.nanoseconds()
        for _ in 0..<4 { #expect(try setup.get("/s").status == 200) }
        // 20 r/s with a burst of 1: the 2nd, 3rd and 4th requests each waited for their slot.
        #expect(MonotonicClock.nanoseconds() - started >= 140_000_000)
        #expect(try setup.get("/t").status == 200)
        #expect(try setup.get("/t").status == 429)  // its slot is 100 s away, past 10 ms
    }

    @Test func shapedRequestBodiesWaitWithTheirHead() throws {
        var shaped = RouteConfig(name: "shaped", upstream: "up")
        shaped.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 10, burst: 1), mode: .shape)
        let setup = try Setup(routes: [shaped])
        defer { setup.stop() }
        let client = try setup.proxy.client()
        defer { client.close() }
        for _ in 0..<2 {
            try client.send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "up POST /p 5")
        }
    }

    @Test func bucketsSurviveAConfigSwapAndTakeNewLimits() throws {
        let setup = try Setup(routes: [Self.jwtRoute], tiers: [TierConfig(name: "free", requestsPerSecond: 0.01, burst: 1)],
                              consumers: [ConsumerConfig(id: "user-42", tier: "free")])
        defer { setup.stop() }
        let auth = "Authorization: Bearer \(try Self.token())"
        #expect(try setup.get("/api", [auth]).status == 200)
        #expect(try setup.get("/api", [auth]).status == 429)
        var snapshot = try #require(setup.proxy.store.current).snapshot
        snapshot.version = 2
        setup.proxy.store.publish(try ConfigCompiler.compile(snapshot))
        #expect(try setup.get("/api", [auth]).status == 429)  // same bucket after the swap
        snapshot.version = 3
        snapshot.tiers = [TierConfig(name: "free", requestsPerSecond: 0.01, burst: 3)]
        setup.proxy.store.publish(try ConfigCompiler.compile(snapshot))
        let raised = try setup.get("/api", [auth])
        #expect(raised.status == 200)  // the larger burst applies to the existing bucket
        #expect(raised.header("RateLimit-Policy") == "\"burst\";q=3;w=300")
    }

    @Test func removedKeysStopPassingAtOnce() throws {
        let setup = try Setup(routes: [Self.jwtRoute])
        defer { setup.stop() }
        let auth = "Authorization: Bearer \(try Self.token())"
        #expect(try setup.get("/api", [auth]).status == 200)
        var snapshot = try #require(setup.proxy.store.current).snapshot
        snapshot.version = 2
        snapshot.jwtKeys.removeAll { $0.kid == "rsa-1" }
        setup.proxy.store.publish(try ConfigCompiler.compile(snapshot))
        #expect(try setup.get("/api", [auth]).status == 401)
    }

    @Test func aSwapWithUnchangedKeysKeepsTheVerifiedTokenCache() throws {
        let signer = try Self.rsa.get()
        func config(route: String, leeway: Int) throws -> CompiledConfig {
            var snapshot = Snapshots.single("http://127.0.0.1:9", route: RouteConfig(name: route, upstream: "up", auth: .jwt))
            snapshot.jwtKeys = [JWTKeyConfig(kid: "rsa-1", alg: .rs256, publicKeyPEM: signer.publicKeyPEM,
                                             issuer: "https://id.test", audiences: ["api"], leewaySeconds: leeway)]
            return try ConfigCompiler.compile(snapshot)
        }
        let evaluator = PolicyEvaluator(runtime: PolicyRuntime(rateLimitKeys: 64))
        let token = try Self.token()
        let now = Double(MonotonicClock.wallSeconds())
        evaluator.adopt(try config(route: "a", leeway: 30).policy)
        _ = try evaluator.verifier.verify(token, now: now)
        #expect(evaluator.verifier.signatureVerifications == 1)
        evaluator.adopt(try config(route: "b", leeway: 30).policy)  // routes changed, keys not
        _ = try evaluator.verifier.verify(token, now: now)
        #expect(evaluator.verifier.signatureVerifications == 1)
        evaluator.adopt(try config(route: "b", leeway: 10).policy)  // a key changed: verified again
        _ = try evaluator.verifier.verify(token, now: now)
        #expect(evaluator.verifier.signatureVerifications == 2)
    }
}
