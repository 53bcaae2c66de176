import Testing
@testable import SluiceConfig

@Suite struct SnapshotValidationTests {
    static let hmacSecret = [UInt8](repeating: 7, count: 32)

    static func valid() -> Snapshot {
        Snapshot(
            version: 3,
            upstreams: [UpstreamConfig(name: "users", targets: [TargetConfig(url: "http://10.0.0.5:8080", weight: 3),
                                                                TargetConfig(url: "http://[::1]:8080")])],
            routes: [RouteConfig(name: "users", pathPrefix: "/api/users", methods: ["GET"], upstream: "users", auth: .jwt),
                     RouteConfig(name: "users-write", pathPrefix: "/api/users", methods: ["POST"], upstream: "users")],
            tiers: [TierConfig(name: "free", requestsPerSecond: 5)],
            consumers: [ConsumerConfig(id: "user-1", tier: "free")],
            jwtKeys: [JWTKeyConfig(kid: "k", alg: .hs256, secret: hmacSecret)])
    }

    @Test func aValidSnapshotHasNoProblems() {
        #expect(Self.valid().validate() == [])
    }

    @Test func duplicatesAreReportedAtTheLaterEntity() {
        var snapshot = Self.valid()
        snapshot.upstreams.append(snapshot.upstreams[0])
        snapshot.tiers.append(TierConfig(name: "free", requestsPerSecond: 1))
        snapshot.routes.append(RouteConfig(name: "users", pathPrefix: "/other", upstream: "users"))
        snapshot.jwtKeys.append(JWTKeyConfig(kid: "k", alg: .hs512, secret: [UInt8](repeating: 1, count: 64)))
        #expect(snapshot.validate() == [
            ConfigProblem(pointer: "/upstreams/1/name", message: #"duplicate upstream name "users" (also at /upstreams/0)"#),
            ConfigProblem(pointer: "/routes/2/name", message: #"duplicate route name "users" (also at /routes/0)"#),
            ConfigProblem(pointer: "/tiers/1/name", message: #"duplicate tier name "free" (also at /tiers/0)"#),
            ConfigProblem(pointer: "/jwt_keys/1/kid", message: #"duplicate kid "k" (also at /jwt_keys/0)"#),
        ])
    }

    @Test func conflictingRoutes() {
        func conflicts(_ first: RouteConfig, _ second: RouteConfig) -> Bool {
            var snapshot = Self.valid()
            snapshot.routes = [first, second]
            return snapshot.validate().contains { $0.pointer == "/routes/1" }
        }
        func route(_ name: String, hosts: [String] = [], prefix: String = "/api", methods: [String] = []) -> RouteConfig {
            RouteConfig(name: name, hosts: hosts, pathPrefix: prefix, methods: methods, upstream: "users")
        }
        #expect(conflicts(route("a"), route("b")))
        #expect(conflicts(route("a", methods: ["GET"]), route("b")))
        #expect(conflicts(route("a", methods: ["GET", "PUT"]), route("b", methods: ["PUT"])))
        #expect(conflicts(route("a", hosts: ["x.com", "*.y.com"]), route("b", hosts: ["*.y.com", "x.com"])))
        #expect(conflicts(route("a", prefix: "/api/"), route("b", prefix: "/api")))
        #expect(!conflicts(route("a", methods: ["GET"]), route("b", methods: ["POST"])))
        #expect(!conflicts(route("a", hosts: ["x.com"]), route("b")))
        #expect(!conflicts(route("a", prefix: "/api"), route("b", prefix: "/api/v1")))
    }

    @Test func conflictMessageNamesTheEarlierRoute() {
        var snapshot = Self.valid()
        snapshot.routes.append(RouteConfig(name: "third", pathPrefix: "/api/users", methods: ["DELETE", "POST"], upstream: "users"))
        #expect(snapshot.validate() == [
            ConfigProblem(pointer: "/routes/2", message: "route matches the same hosts, path_prefix and methods as /routes/1"),
        ])
    }

    @Test func fieldRulesApplyToSnapshotsBuiltInCode() {
        var snapshot = Self.valid()
        snapshot.version = -2
        snapshot.routes[0].pathPrefix = "/api/"
        snapshot.tiers[0].requestsPerSecond = .nan
        snapshot.upstreams[0].targets[1].url = "ftp://x"
        snapshot.consumers[0].tier = "gold"
        #expect(snapshot.validate() == [
            ConfigProblem(pointer: "/version", message: "version must be ≥ 0"),
            ConfigProblem(pointer: "/upstreams/0/targets/1/url",
                          message: "target url must use http:// (only plain HTTP/1.1 upstreams are supported)"),
            ConfigProblem(pointer: "/routes/0/path_prefix", message: "path_prefix must not end with '/'"),
            ConfigProblem(pointer: "/tiers/0/requests_per_second", message: "requests_per_second must be > 0 and ≤ 1000000"),
            ConfigProblem(pointer: "/consumers/0/tier", message: #"unknown tier "gold""#),
        ])
    }

    @Test func jwtKeyMaterialMustMatchTheAlgorithm() throws {
        let pem = try ExampleSnapshotTests.example().jwtKeys.compactMap(\.publicKeyPEM).first ?? ""
        let cases: [(JWTKeyConfig, [ConfigProblem])] = [
            (JWTKeyConfig(kid: "a", alg: .hs256, secret: [UInt8](repeating: 1, count: 31)),
             [ConfigProblem(pointer: "/secret", message: "HS256 secret must be at least 32 bytes (RFC 7518 §3.2), got 31")]),
            (JWTKeyConfig(kid: "a", alg: .hs384, secret: [UInt8](repeating: 1, count: 47)),
             [ConfigProblem(pointer: "/secret", message: "HS384 secret must be at least 48 bytes (RFC 7518 §3.2), got 47")]),
            (JWTKeyConfig(kid: "a", alg: .hs512, secret: [UInt8](repeating: 1, count: 1025)),
             [ConfigProblem(pointer: "/secret", message: "secret must be at most 1024 bytes")]),
            (JWTKeyConfig(kid: "a", alg: .hs256), [ConfigProblem(pointer: "/secret", message: "HS256 keys need a secret (or a jwk)")]),
            (JWTKeyConfig(kid: "a", alg: .hs256, publicKeyPEM: pem),
             [ConfigProblem(pointer: "/public_key_pem", message: "HS256 keys take a secret or a jwk, not public_key_pem")]),
            (JWTKeyConfig(kid: "a", alg: .rs256, secret: Self.hmacSecret),
             [ConfigProblem(pointer: "/secret", message: "RS256 keys take public_key_pem or a jwk, not a secret")]),
            (JWTKeyConfig(kid: "a", alg: .es256), [ConfigProblem(pointer: "/public_key_pem", message: "ES256 keys need public_key_pem (or a jwk)")]),
            (JWTKeyConfig(kid: "a", alg: .edDSA, publicKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"),
             [ConfigProblem(pointer: "/public_key_pem",
                            message: "public_key_pem must be a PEM block from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----")]),
            (JWTKeyConfig(kid: "a", alg: .ps256, publicKeyPEM: "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"),
             [ConfigProblem(pointer: "/public_key_pem", message: "public_key_pem does not contain a valid base64 key")]),
            (JWTKeyConfig(kid: "", alg: .rs512, publicKeyPEM: pem, issuer: "", audiences: ["a\nb"]), [
                ConfigProblem(pointer: "/kid", message: "kid must not be empty"),
                ConfigProblem(pointer: "/issuer", message: "issuer must not be empty"),
                ConfigProblem(pointer: "/audiences/0", message: "audience must not contain control characters"),
            ]),
            (JWTKeyConfig(kid: "a", alg: .rs256, publicKeyPEM: pem.split(separator: "\n").joined(separator: "\r\n")), []),
        ]
        for (key, expected) in cases {
            #expect(key.problems(at: "") == expected, "\(key)")
        }
    }

    @Test func secretsNeverAppearInMessagesOrDescriptions() throws {
        let secretText = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="  // 20 bytes: too short for HS256
        let json = document(keys: #"[{"kid":"k","alg":"HS256","secret":"\#(secretText)"},{"kid":"j","alg":"HS256","secret":"!!not-base64!!"}]"#)
        let found = problems(json)
        #expect(found == [
            ConfigProblem(pointer: "/jwt_keys/0/secret", message: "HS256 secret must be at least 32 bytes (RFC 7518 §3.2), got 20"),
            ConfigProblem(pointer: "/jwt_keys/1/secret", message: "secret is not valid base64"),
        ])
        #expect(!found.description.contains("c2Vj") && !found.description.contains("not-base64"))
        let key = JWTKeyConfig(kid: "k", alg: .hs256, secret: Array("super-secret-value-of-32-bytes!!".utf8))
        #expect(!"\(key)".contains("super") && !String(reflecting: key).contains("super"))
        #expect("\(key)" == "JWTKeyConfig(kid: k, alg: HS256, secret: <32 bytes>)")
    }

    static let targetURLs: [(String, TargetAddress?)] = [
        ("http://10.0.0.5:8080", TargetAddress(host: "10.0.0.5", kind: .ipv4, port: 8080)),
        ("http://10.0.0.5", TargetAddress(host: "10.0.0.5", kind: .ipv4, port: 80)),
        ("HTTP://Backend.Example:65535/", TargetAddress(host: "backend.example", kind: .name, port: 65535)),
        ("http://[::1]:81", TargetAddress(host: "::1", kind: .ipv6, port: 81)),
        ("http://[2001:db8::8:800:200c:417a]", TargetAddress(host: "2001:db8::8:800:200c:417a", kind: .ipv6, port: 80)),
        ("http://[::ffff:192.0.2.1]:1", TargetAddress(host: "::ffff:192.0.2.1", kind: .ipv6, port: 1)),
        ("http://[1:2:3:4:5:6:7:8]", TargetAddress(host: "1:2:3:4:5:6:7:8", kind: .ipv6, port: 80)),
        ("http://localhost:3000", TargetAddress(host: "localhost", kind: .name, port: 3000)),
        ("http://my_service:3000", TargetAddress(host: "my_service", kind: .name, port: 3000)),
        ("http://[1:2:3:4:5:6:7:8:9]", nil), ("http://[1::2::3]", nil), ("http://[fe80::1%eth0]", nil),
        ("http://[::1", nil), ("http://[::1]x", nil), ("http://::1", nil),
        ("http://256.0.0.1", nil), ("http://01.2.3.4", nil), ("http://1.2.3", nil),
        ("http://a b.com", nil), ("http://a..com", nil), ("http://-a.com", nil), ("http://", nil), ("http://:80", nil),
        ("http://x:", nil), ("http://x:65536", nil), ("http://x:+80", nil), ("http://x:080000", nil),
        ("http://x?a=1", nil), ("http://x#f", nil), ("http://x//", nil), ("x:80", nil), ("ws://x", nil),
    ]

    @Test(arguments: 0..<targetURLs.count)
    func targetAddresses(case index: Int) {
        let (url, expected) = Self.targetURLs[index]
        #expect((try? TargetAddress(url: url)) == expected, "\(url)")
    }

    @Test func base64AcceptsBothAlphabetsAndWritesStandard() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0x00, 0x01]
        #expect(Base64.encode(bytes) == "+/+/AAE=")
        #expect(Base64.decode("+/+/AAE=") == bytes)
        #expect(Base64.decode("-_-_AAE") == bytes)
        #expect(Base64.decode("-_-_AAE=") == bytes)
        #expect(Base64.decode("+_+/AAE=") == nil)
        #expect(Base64.decode("AAF=") == nil)  // non-zero padding bits
        #expect(Base64.decode("A") == nil)
        #expect(Base64.decode("AA=A") == nil)
        #expect(Base64.decode("AA===") == nil)
        #expect(Base64.decode("") == [])
        for length in 0..<40 {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(data)) == data)
        }
    }
}

@Suite struct RouteConflictTests {
    func conflicts(_ methods: [[String]]) -> [ConfigProblem] {
        let routes = methods.enumerated().map { index, methods in
            RouteConfig(name: "r\(index)", pathPrefix: "/p", methods: methods, upstream: "u")
        }
        let snapshot = Snapshot(upstreams: [UpstreamConfig(name: "u", targets: [TargetConfig(url: "http://u")])], routes: routes)
        return snapshot.validate()
    }

    func conflict(_ route: Int, with earlier: Int) -> ConfigProblem {
        ConfigProblem(pointer: "/routes/\(route)", message: "route matches the same hosts, path_prefix and methods as /routes/\(earlier)")
    }

    @Test func eachConflictNamesTheEarliestRouteItOverlaps() {
        #expect(conflicts([["POST"], [], ["GET"]]) == [conflict(1, with: 0), conflict(2, with: 1)])
        #expect(conflicts([["GET"], ["POST"], ["PUT", "POST"], []]) == [conflict(2, with: 1), conflict(3, with: 0)])
        #expect(conflicts([["GET"], ["POST"], ["PUT"], ["PATCH"]]) == [])
    }

    @Test func manyRoutesOnOnePrefixStayLinear() {
        let methods = (0..<2000).map { ["M\($0)"] } + [["M0"]]
        #expect(conflicts(methods) == [conflict(2000, with: 0)])
    }
}
