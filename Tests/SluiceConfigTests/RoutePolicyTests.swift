import Testing
import SluiceConfig

/// A route's `api_key_header`, `claims_to_headers` and `rate_limit`.
@Suite struct RoutePolicyTests {
    static func route(auth: RouteAuth = .jwt, header: String = RouteConfig.defaultAPIKeyHeader, claims: [ClaimHeader] = [],
                      rateLimit: RouteRateLimitConfig? = nil) -> RouteConfig {
        RouteConfig(name: "r", upstream: "u", auth: auth, apiKeyHeader: header, claimsToHeaders: claims, rateLimit: rateLimit)
    }

    @Test func decodesThePolicyFieldsAndWritesThemBack() throws {
        let json = #"[{"name":"r","upstream":"u","auth":"jwt_or_api_key","api_key_header":"X-Key","#
            + #""claims_to_headers":{"email":"X-User-Email","org_id":"X-Org"},"#
            + #""rate_limit":{"requests_per_second":2.5,"requests_per_day":100,"mode":"shape","max_delay_ms":250}}]"#
        let snapshot = try SnapshotDecoder.decodeAndValidate(Array(document(routes: json, keys: #"[{"kid":"k","alg":"HS256","secret":"\#(String(repeating: "A", count: 44))"}]"#).utf8))
        let route = try #require(snapshot.routes.first)
        #expect(route.apiKeyHeader == "X-Key")
        #expect(route.claimsToHeaders == [ClaimHeader(claim: "email", header: "X-User-Email"), ClaimHeader(claim: "org_id", header: "X-Org")])
        #expect(route.rateLimit == RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 2.5, burst: 3, requestsPerDay: 100),
                                                        overrideTier: false, mode: .shape, maxDelayMilliseconds: 250))
        let text = String(decoding: route.canonicalJSON(), as: UTF8.self)
        #expect(text.hasSuffix(#""auth":"jwt_or_api_key","api_key_header":"X-Key","#
            + #""claims_to_headers":{"email":"X-User-Email","org_id":"X-Org"},"#
            + #""rate_limit":{"requests_per_second":2.5,"burst":3,"requests_per_day":100,"override_tier":false,"mode":"shape","max_delay_ms":250}}"#))
        #expect(try RouteConfig(json: route.jsonValue) == route)
        let reject = RouteRateLimitConfig(limits: RateLimits(requestsPerMinute: 60))
        #expect(String(decoding: JSONWriter.compact(reject.jsonValue), as: UTF8.self)
            == #"{"requests_per_minute":60,"override_tier":false,"mode":"reject"}"#)
    }

    @Test func defaultsAreTheDocumentedOnes() throws {
        let route = try RouteConfig(json: .object([.init("name", .string("r")), .init("upstream", .string("u"))]))
        #expect(route.apiKeyHeader == "X-API-Key" && route.claimsToHeaders.isEmpty && route.rateLimit == nil)
        let limit = RouteRateLimitConfig()
        #expect(limit.overrideTier == false && limit.mode == .reject && limit.maxDelayMilliseconds == 1000 && limit.limits.isEmpty)
    }

    @Test func headerNamesMustBeTokensTheProxyDoesNotOwn() {
        for name in ["Authorization", "host", "Connection", "Transfer-Encoding", "content-length", "X-Consumer-Id",
                     "x-consumer-tier", "X-Consumer-Anything", "X_Consumer_Id", "x_forwarded_for", "Transfer_Encoding", "X-Forwarded-For", "X-Request-Id", "TE", "Upgrade"] {
            #expect(Self.route(header: name).problems(at: "") == [problem("/api_key_header", "api_key_header must not be \(name): the proxy owns that header")])
        }
        #expect(Self.route(header: "X Key").problems(at: "") == [problem("/api_key_header", "api_key_header must be an HTTP field name (RFC 9110 §5.1 token)")])
        #expect(Self.route(header: "").problems(at: "") == [problem("/api_key_header", "api_key_header must be 1…128 characters")])
        #expect(Self.route(header: String(repeating: "a", count: 129)).problems(at: "")
            == [problem("/api_key_header", "api_key_header must be 1…128 characters")])
        #expect(Self.route(header: "X-Api-Token_2").problems(at: "") == [])
    }

    @Test func claimsToHeadersRules() {
        let claims = [ClaimHeader(claim: "email", header: "X-User"), ClaimHeader(claim: "name", header: "x-user"),
                      ClaimHeader(claim: "", header: "X-Empty"), ClaimHeader(claim: "k", header: "x-api-key"),
                      ClaimHeader(claim: "h", header: "Host"), ClaimHeader(claim: "s", header: "bad header"), ClaimHeader(claim: "u", header: "X_USER")]
        #expect(Self.route(claims: claims).problems(at: "/routes/0") == [
            problem("/routes/0/claims_to_headers/name", #"header x-user is already used by claim "email""#),
            problem("/routes/0/claims_to_headers/", "claim name must not be empty"),
            problem("/routes/0/claims_to_headers/k", "header x-api-key is already used by api_key_header"),
            problem("/routes/0/claims_to_headers/h", "header must not be Host: the proxy owns that header"),
            problem("/routes/0/claims_to_headers/s", "header must be an HTTP field name (RFC 9110 §5.1 token)"),
            problem("/routes/0/claims_to_headers/u", #"header X_USER is already used by claim "email""#),
        ])
        let one = [ClaimHeader(claim: "email", header: "X-User")]
        for auth in [RouteAuth.none, .apiKey] {
            #expect(Self.route(auth: auth, claims: one).problems(at: "")
                == [problem("/claims_to_headers", #"claims_to_headers needs auth "jwt" or "jwt_or_api_key""#)])
        }
        #expect(Self.route(auth: .jwtOrAPIKey, claims: one).problems(at: "") == [])
        let many = (0...32).map { ClaimHeader(claim: "c\($0)", header: "X-C\($0)") }
        #expect(Self.route(claims: many).problems(at: "") == [problem("/claims_to_headers", "claims_to_headers may have at most 32 entries")])
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","claims_to_headers":{"a":1,"b/c":true}}]"#)) == [
            problem("/routes/0/claims_to_headers/a", "expected string, found integer"),
            problem("/routes/0/claims_to_headers/b~1c", "expected string, found boolean"),
        ])
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","claims_to_headers":["a"]}]"#))
            == [problem("/routes/0/claims_to_headers", "expected object, found array")])
    }

    @Test func rateLimitRules() {
        func check(_ limit: RouteRateLimitConfig) -> [ConfigProblem] { Self.route(rateLimit: limit).problems(at: "") }
        #expect(check(RouteRateLimitConfig()) == [problem("/rate_limit",
            #"rate_limit needs a limit (requests_per_second, requests_per_minute or requests_per_day) or mode "shape""#)])
        #expect(check(RouteRateLimitConfig(mode: .shape)) == [])
        #expect(check(RouteRateLimitConfig(overrideTier: true, mode: .shape))
            == [problem("/rate_limit/override_tier", "override_tier needs at least one limit to replace the tier's with")])
        #expect(check(RouteRateLimitConfig(limits: RateLimits(requestsPerDay: 5), overrideTier: true)) == [])
        #expect(check(RouteRateLimitConfig(limits: RateLimits(requestsPerSecond: 0, burst: 0, requestsPerMinute: 0, requestsPerDay: 0))) == [
            problem("/rate_limit/requests_per_second", "requests_per_second must be > 0 and ≤ 1000000"),
            problem("/rate_limit/burst", "burst must be 1…1000000000"),
            problem("/rate_limit/requests_per_minute", "requests_per_minute must be ≥ 1"),
            problem("/rate_limit/requests_per_day", "requests_per_day must be ≥ 1"),
        ])
        #expect(check(RouteRateLimitConfig(limits: RateLimits(burst: 5, requestsPerMinute: 10)))
            == [problem("/rate_limit/burst", "burst needs requests_per_second")])
        #expect(check(RouteRateLimitConfig(mode: .shape, maxDelayMilliseconds: 0)) == [problem("/rate_limit/max_delay_ms", "max_delay_ms must be 1…60000")])
        #expect(check(RouteRateLimitConfig(mode: .shape, maxDelayMilliseconds: 60_001)) == [problem("/rate_limit/max_delay_ms", "max_delay_ms must be 1…60000")])
        #expect(check(RouteRateLimitConfig(mode: .shape, maxDelayMilliseconds: 60_000)) == [])
        #expect(check(RouteRateLimitConfig(limits: RateLimits(requestsPerMinute: 1), maxDelayMilliseconds: 5))
            == [problem("/rate_limit/max_delay_ms", #"max_delay_ms applies only to mode "shape""#)])
        #expect(RateLimits(requestsPerSecond: 2.5).burst == 3 && RateLimits(requestsPerMinute: 1).burst == nil)
    }

    @Test func rateLimitDecodingProblems() {
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","rate_limit":{"requests_per_minute":5,"max_delay_ms":100}}]"#))
            == [problem("/routes/0/rate_limit/max_delay_ms", #"max_delay_ms applies only to mode "shape""#)])
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","rate_limit":{"mode":"queue","override_tier":1,"per_hour":3,"burst":"2"}}]"#)) == [
            problem("/routes/0/rate_limit/per_hour", "unknown field"),
            problem("/routes/0/rate_limit/burst", "expected integer, found string"),
            problem("/routes/0/rate_limit/override_tier", "expected boolean, found integer"),
            problem("/routes/0/rate_limit/mode", #"unknown value "queue" (expected one of "reject", "shape")"#),
        ])
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","rate_limit":[]}]"#))
            == [problem("/routes/0/rate_limit", "expected object, found array")])
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","api_key_header":7}]"#))
            == [problem("/routes/0/api_key_header", "expected string, found integer")])
        #expect(problems(document(routes: #"[{"name":"r","upstream":"u","rate_limit":{}}]"#)) == [problem("/routes/0/rate_limit",
            #"rate_limit needs a limit (requests_per_second, requests_per_minute or requests_per_day) or mode "shape""#)])
    }
}
