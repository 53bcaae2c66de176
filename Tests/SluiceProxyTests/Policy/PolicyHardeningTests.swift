import Testing
import SluiceConfig
import SluiceHTTP
import SluicePolicy
import SluiceTestSupport
@testable import SluiceProxy

/// Regression tests from the review of issue #6: each was a hole (or a suspected one) in the
/// policy step, reproduced end to end, and asserts the behaviour that closes it.
@Suite struct PolicyHardeningTests {
    typealias P = ProxyPolicyTests

    // F1: a claim header configured with '_' (a valid tchar, accepted by HeaderNameSyntax) is
    // never stripped: `UpstreamRequestHead.names` compares `byte | 0x20` with the lowercase name,
    // and '_' | 0x20 == 0x7F. The forged copy reaches the upstream *before* the gateway's own.
    @Test func claimHeaderWithUnderscoreIsStripped() throws {
        var route = P.jwtRoute
        route.claimsToHeaders = [ClaimHeader(claim: "role", header: "X_User_Role")]
        let setup = try P.Setup(routes: [route])
        defer { setup.stop() }
        let token = try P.token(extra: ",\"role\":\"viewer\"")
        let response = try setup.get("/api/x", ["Authorization: Bearer \(token)", "X_User_Role: admin",
                                                 "X-User-Role: admin2"])
        #expect(response.status == 200)
        let seen = try #require(setup.upstream.log.all.last).head
        #expect(seen.contains("X_User_Role: viewer\r\n"))
        #expect(!seen.contains("admin"), "forged claim header forwarded:\n\(seen)")
    }

    // F1 (unit form).
    @Test func underscoreNamesAreStrippedByTheHeadWriter() {
        let out = UpstreamIdentityFieldTests.rewrite(
            "GET / HTTP/1.1\r\nHost: h\r\nX_User_Role: admin\r\n\r\n",
            identity: "X_User_Role: viewer\r\n", stripped: ["x-user-role"])
        #expect(!out.contains("admin"), "\(out)")
    }

    // F2: consumers are looked up in a [String: PolicyIdentity] (Swift String ==, Unicode
    // canonical equivalence): sub "\u{212A}arl" (KELVIN SIGN) is the consumer "Karl", so the
    // upstream is told X-Consumer-Id: Karl, with Karl's tier and buckets.
    @Test func canonicallyEquivalentSubDoesNotBecomeAnotherConsumer() throws {
        let setup = try P.Setup(routes: [P.jwtRoute], tiers: [TierConfig(name: "premium", requestsPerSecond: 1000)],
                                consumers: [ConsumerConfig(id: "Karl", tier: "premium")])
        defer { setup.stop() }
        let response = try setup.get("/api/x", ["Authorization: Bearer \(try P.token(sub: "\u{212A}arl"))"])
        #expect(response.status == 200)
        let seen = try #require(setup.upstream.log.all.last).head
        // Compared as bytes: Swift's String.contains would itself take the KELVIN SIGN for K.
        let bytes = Array(seen.utf8)
        #expect(!bytes.contains(Array("X-Consumer-Id: Karl\r\n".utf8)), "impersonated:\n\(seen)")
        #expect(bytes.contains(Array("X-Consumer-Id: \u{212A}arl\r\n".utf8)))
        #expect(!seen.contains("X-Consumer-Tier: premium\r\n"))
    }

    // F3: requests whose credentials fail are answered 401 before any limit is looked at, so a
    // client can send invalid tokens (each a full RSA verification: failures are not cached) or
    // guess API keys at any rate, even with an `anonymous` tier of 1 request per 100 s.
    @Test func failedAuthenticationIsRateLimitedByAddress() throws {
        let setup = try P.Setup(routes: [P.jwtRoute, RouteConfig(name: "open", pathPrefix: "/open", upstream: "up")],
                                tiers: [TierConfig(name: "anonymous", requestsPerSecond: 0.01, burst: 1)])
        defer { setup.stop() }
        #expect(try setup.get("/open").status == 200)
        #expect(try setup.get("/open").status == 429)  // this address is out of budget
        var parts = try P.token().split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        let forged = parts.joined(separator: ".")
        var statuses: [Int] = []
        for _ in 0..<20 { statuses.append(try setup.get("/api/x", ["Authorization: Bearer \(forged)"]).status) }
        #expect(statuses.contains(429), "20 bad tokens from a limited address: \(statuses)")
    }

    // F4: anonymous traffic is keyed by the full 128-bit address; any IPv6 client owns at
    // least a /64, so it gets a fresh burst per address.
    @Test func iPv6ClientsCannotRotateAddressesInTheirPrefix() throws {
        let setup = try P.Setup(routes: [RouteConfig(name: "open", upstream: "up")],
                                tiers: [TierConfig(name: "anonymous", requestsPerSecond: 0.01, burst: 1)],
                                trustedProxies: "127.0.0.0/8")
        defer { setup.stop() }
        var allowed = 0
        for host in 1...10 where try setup.get("/", ["X-Forwarded-For: 2001:db8:1:2::\(host)"]).status == 200 {
            allowed += 1
        }
        #expect(allowed == 1, "one /64, \(allowed) bursts")
    }

    // F5: the `anonymous` tier (routes without auth) and the `default` tier (a JWT without sub)
    // share the same `ip` keys, so one tier's traffic spends the other's budget.
    @Test func anonymousAndDefaultTierDoNotShareBuckets() throws {
        let setup = try P.Setup(routes: [P.jwtRoute, RouteConfig(name: "open", pathPrefix: "/open", upstream: "up")],
                                tiers: [TierConfig(name: "anonymous", requestsPerSecond: 0.01, burst: 2),
                                        TierConfig(name: "default", requestsPerSecond: 0.01, burst: 100)])
        defer { setup.stop() }
        let auth = "Authorization: Bearer \(try P.token(sub: nil))"
        for _ in 0..<3 { #expect(try setup.get("/api/x", [auth]).status == 200) }
        // No anonymous request has been made from this address yet.
        #expect(try setup.get("/open").status == 200)
    }

    // F8: claim header names are stripped only on the routes that configure them: on another
    // route to the same upstream (auth jwt, no claims_to_headers) the client's copy passes.
    @Test func claimHeadersAreStrippedOnEveryRouteOfTheUpstream() throws {
        var withClaims = P.jwtRoute
        withClaims.claimsToHeaders = [ClaimHeader(claim: "role", header: "X-User-Role")]
        let other = RouteConfig(name: "other", pathPrefix: "/other", upstream: "up", auth: .jwt)
        let setup = try P.Setup(routes: [withClaims, other])
        defer { setup.stop() }
        let response = try setup.get("/other", ["Authorization: Bearer \(try P.token())", "X-User-Role: admin"])
        #expect(response.status == 200)
        let seen = try #require(setup.upstream.log.all.last).head
        #expect(!seen.contains("X-User-Role: admin"), "\(seen)")
    }

    // F9: the upstream's own RateLimit / RateLimit-Policy fields are forwarded next to the
    // gateway's, so the client gets two lists that contradict each other.
    @Test func upstreamRateLimitFieldsAreNotDuplicated() throws {
        var route = RouteConfig(name: "limited", upstream: "up")
        route.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 100, burst: 10))
        let setup = try P.Setup(routes: [route])
        defer { setup.stop() }
        let response = try setup.get("/ratelimited")
        #expect(response.status == 200)
        #expect(response.headers.filter { $0.name.lowercased() == "ratelimit" }.count == 1,
                "\(response.headText)")
    }

    // F10: a shaped request held longer than the server's body read timeout (30 s by default,
    // while max_delay_ms may be 60 000) is answered 408 when it resumes if the client waits for
    // `100 Continue`: the body deadline still counts from the head's arrival.
    @Test func shapeDelayLongerThanTheBodyTimeoutDoesNot408() throws {
        let upstream = try TestUpstream(name: "up")
        defer { upstream.stop() }
        var route = RouteConfig(name: "shaped", upstream: "up")
        route.rateLimit = RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 1, burst: 1), mode: .shape,
                                               maxDelayMilliseconds: 2000)
        let snapshot = Snapshot(version: 1, upstreams: [UpstreamConfig(name: "up", targets: [TargetConfig(url: upstream.url)])],
                                routes: [route])
        let store = ConfigStore(try ConfigCompiler.compile(snapshot))
        var configuration = HTTPServer.Configuration(listenAddress: .loopbackIPv4(port: 0))
        configuration.workers = 1
        configuration.bodyReadTimeout = .milliseconds(300)  // stands in for 30 s vs a 60 s max delay
        let runtime = PolicyRuntime(rateLimitKeys: 4096)
        let server = try HTTPServer(configuration: configuration) { loop in
            ProxyHandler(loop: loop, store: store, runtime: runtime)
        }
        let port = try server.start()
        defer { server.shutdown(deadline: .milliseconds(200)); server.wait() }
        let first = try TestTCPClient(port: port, timeoutSeconds: 5)
        defer { first.close() }
        try first.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try first.readResponse().status == 200)
        let client = try TestTCPClient(port: port, timeoutSeconds: 5)
        defer { client.close() }
        try client.send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse()  // 100 Continue after the ~1 s shaping delay
        var final = interim
        if interim.status == 100 {
            try client.send("hello")
            final = try client.readResponse()
        }
        #expect(final.status == 200, "\(final.headText)")
    }

    // F2b: a `sub` with leading/trailing spaces passes `isFieldSafe` and is sent as
    // `X-Consumer-Id:  victim `; every HTTP parser drops the OWS, so the upstream sees `victim`.
    @Test func subWithSurroundingSpacesIsNotForwardedAsAnotherIdentity() throws {
        let setup = try P.Setup(routes: [P.jwtRoute])
        defer { setup.stop() }
        let response = try setup.get("/api/x", ["Authorization: Bearer \(try P.token(sub: " victim "))"])
        let seen = setup.upstream.log.all.last?.head ?? ""
        #expect(response.status == 401 || !seen.contains("X-Consumer-Id:  victim \r\n"), "\(seen)")
    }
}
