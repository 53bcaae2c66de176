import Testing
import SluiceConfig

/// The problems `decodeAndValidate` reports for a document (empty when it is accepted).
func problems(_ json: String) -> [ConfigProblem] {
    do {
        _ = try SnapshotDecoder.decodeAndValidate(Array(json.utf8))
        return []
    } catch {
        return error.problems
    }
}

func problem(_ pointer: String, _ message: String) -> ConfigProblem {
    ConfigProblem(pointer: pointer, message: message)
}

/// A document with one valid upstream `u` and the given routes, tiers, consumers and keys.
func document(routes: String = "[]", tiers: String = "[]", consumers: String = "[]", keys: String = "[]") -> String {
    #"{"format":1,"upstreams":[{"name":"u","targets":[{"url":"http://127.0.0.1:9000"}]}],"#
        + #""routes":\#(routes),"tiers":\#(tiers),"consumers":\#(consumers),"jwt_keys":\#(keys)}"#
}

@Suite struct SnapshotDecoderTests {
    @Test func appliesDefaults() throws {
        let snapshot = try SnapshotDecoder.decodeAndValidate(Array(document(
            routes: #"[{"name":"r","upstream":"u"}]"#,
            tiers: #"[{"name":"t","requests_per_second":2.5}]"#).utf8))
        #expect(snapshot.version == 0)
        #expect(snapshot.upstreams == [UpstreamConfig(name: "u", algorithm: .roundRobin,
                                                      targets: [TargetConfig(url: "http://127.0.0.1:9000", weight: 1)])])
        let route = try #require(snapshot.routes.first)
        #expect(route == RouteConfig(name: "r", hosts: [], pathPrefix: "/", methods: [], stripPrefix: false, upstream: "u",
                                     timeoutMilliseconds: 30_000, maxBodyBytes: 1_048_576, auth: .none))
        #expect(snapshot.tiers == [TierConfig(name: "t", requestsPerSecond: 2.5, burst: 3)])
        #expect(snapshot.consumers.isEmpty && snapshot.jwtKeys.isEmpty)
    }

    @Test func normalisesTrailingSlashOfPathPrefix() throws {
        let snapshot = try SnapshotDecoder.decodeAndValidate(Array(document(
            routes: #"[{"name":"a","path_prefix":"/api/","upstream":"u"},{"name":"b","path_prefix":"/","upstream":"u","methods":["GET"]}]"#).utf8))
        #expect(snapshot.routes.map(\.pathPrefix) == ["/api", "/"])
    }

    static let topLevelCases: [(String, [ConfigProblem])] = [
        (#"{"version":1}"#, [problem("/format", "required field is missing")]),
        (#"{"format":2,"bogus":1,"routes":7}"#, [problem("/format", "unsupported format 2")]),
        (#"{"format":"1"}"#, [problem("/format", "expected integer, found string")]),
        (#"{"format":1.0}"#, [problem("/format", "expected integer, found number")]),
        ("[]", [problem("", "expected object, found array")]),
        (#"{"format":1,"extra":true,"a/b":1}"#, [problem("/extra", "unknown field"), problem("/a~1b", "unknown field")]),
        (#"{"format":1,"version":-1}"#, [problem("/version", "version must be ≥ 0")]),
        (#"{"format":1,"version":1.5}"#, [problem("/version", "expected integer, found number")]),
        (#"{"format":1,"upstreams":{},"routes":null,"tiers":"x"}"#, [
            problem("/upstreams", "expected array, found object"),
            problem("/routes", "expected array, found null"),
            problem("/tiers", "expected array, found string"),
        ]),
        (#"{"format":1,"consumers":[1]}"#, [problem("/consumers/0", "expected object, found integer")]),
    ]

    @Test(arguments: 0..<topLevelCases.count)
    func topLevel(case index: Int) {
        let (json, expected) = Self.topLevelCases[index]
        #expect(problems(json) == expected, "\(json)")
    }

    static let upstreamCases: [(String, [ConfigProblem])] = [
        (#"[{}]"#, [problem("/upstreams/0/name", "required field is missing"),
                    problem("/upstreams/0/targets", "required field is missing")]),
        (#"[{"name":"a","targets":[]}]"#, [problem("/upstreams/0/targets", "an upstream needs at least one target")]),
        (#"[{"name":"a b","targets":[{"url":"http://x"}]}]"#,
         [problem("/upstreams/0/name", "name may contain only letters, digits, '.', '_' and '-'")]),
        (#"[{"name":"","targets":[{"url":"http://x"}]}]"#, [problem("/upstreams/0/name", "name must not be empty")]),
        ("[{\"name\":\"\(String(repeating: "n", count: 65))\",\"targets\":[{\"url\":\"http://x\"}]}]",
         [problem("/upstreams/0/name", "name must be at most 64 characters")]),
        (#"[{"name":"a","algorithm":"random","targets":[{"url":"http://x"}]}]"#,
         [problem("/upstreams/0/algorithm", #"unknown value "random" (expected one of "round_robin")"#)]),
        (#"[{"name":"a","targets":[{"url":"https://x"}]}]"#,
         [problem("/upstreams/0/targets/0/url", "https targets are not supported yet")]),
        (#"[{"name":"a","targets":[{"url":"http://x/api"}]}]"#,
         [problem("/upstreams/0/targets/0/url", "target url must not have a path, query or fragment")]),
        (#"[{"name":"a","targets":[{"url":"http://user:pw@x"}]}]"#,
         [problem("/upstreams/0/targets/0/url", "target url must not contain userinfo")]),
        (#"[{"name":"a","targets":[{"url":"http://x:0"}]}]"#,
         [problem("/upstreams/0/targets/0/url", "target url port must be 1…65535")]),
        (#"[{"name":"a","targets":[{"url":"http://x","weight":0},{"url":"http://y","weight":1001}]}]"#,
         [problem("/upstreams/0/targets/0/weight", "weight must be 1…1000"),
          problem("/upstreams/0/targets/1/weight", "weight must be 1…1000")]),
        (#"[{"name":"a","targets":[{"url":"http://x","weight":"3","port":1}]}]"#,
         [problem("/upstreams/0/targets/0/port", "unknown field"),
          problem("/upstreams/0/targets/0/weight", "expected integer, found string")]),
        (#"[{"name":"a","targets":[{"weight":2}]}]"#, [problem("/upstreams/0/targets/0/url", "required field is missing")]),
        (#"[{"name":"a","targets":[{"url":"http://X.example"},{"url":"http://x.example:80/"}]}]"#,
         [problem("/upstreams/0/targets/1/url", "duplicate target: same host and port as /upstreams/0/targets/0")]),
    ]

    @Test(arguments: 0..<upstreamCases.count)
    func upstreams(case index: Int) {
        let (upstreams, expected) = Self.upstreamCases[index]
        #expect(problems(#"{"format":1,"upstreams":\#(upstreams)}"#) == expected, "\(upstreams)")
    }

    static let routeCases: [(String, [ConfigProblem])] = [
        (#"[{"name":"r","upstream":"u","path_prefix":"api"}]"#, [problem("/routes/0/path_prefix", "path_prefix must start with '/'")]),
        (#"[{"name":"r!","upstream":"u","path_prefix":"x","timeout_ms":0}]"#, [
            problem("/routes/0/path_prefix", "path_prefix must start with '/'"),
            problem("/routes/0/name", "name may contain only letters, digits, '.', '_' and '-'"),
            problem("/routes/0/timeout_ms", "timeout_ms must be 1…3600000"),
        ]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a/../b"}]"#,
         [problem("/routes/0/path_prefix", "path_prefix must not contain '.' or '..' segments")]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a/."}]"#,
         [problem("/routes/0/path_prefix", "path_prefix must not contain '.' or '..' segments")]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a//b"}]"#, [problem("/routes/0/path_prefix", "path_prefix must not contain '//'")]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a//"}]"#, [problem("/routes/0/path_prefix", "path_prefix must not contain '//'")]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a?x"}]"#, [problem("/routes/0/path_prefix", "path_prefix must not contain '?' or '#'")]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a b"}]"#,
         [problem("/routes/0/path_prefix", "path_prefix contains a character that must be percent-encoded")]),
        (#"[{"name":"r","upstream":"u","path_prefix":"/a%2"}]"#, [problem("/routes/0/path_prefix", "path_prefix has an invalid percent-encoding")]),
        (#"[{"name":"r","upstream":"u","methods":["get","POST","POST","GE T"]}]"#, [
            problem("/routes/0/methods/0", "method must be uppercase"),
            problem("/routes/0/methods/2", #"duplicate method "POST""#),
            problem("/routes/0/methods/3", "method must be an HTTP token"),
        ]),
        (#"[{"name":"r","upstream":"u","hosts":["API.example.com","example.com:80","*","a.*.com","-a.com","x.com","x.com"]}]"#, [
            problem("/routes/0/hosts/0", "hosts must be lowercase"),
            problem("/routes/0/hosts/1", "hosts must not contain a port"),
            problem("/routes/0/hosts/2", "a wildcard host must have the form *.suffix"),
            problem("/routes/0/hosts/3", "a wildcard host must have the form *.suffix"),
            problem("/routes/0/hosts/4", "invalid host name"),
            problem("/routes/0/hosts/6", #"duplicate host "x.com""#),
        ]),
        (#"[{"name":"r","upstream":"u","timeout_ms":0,"max_body_bytes":-1}]"#, [
            problem("/routes/0/timeout_ms", "timeout_ms must be 1…3600000"),
            problem("/routes/0/max_body_bytes", "max_body_bytes must be 0…1099511627776 (2^40)"),
        ]),
        (#"[{"name":"r","upstream":"u","timeout_ms":3600001,"max_body_bytes":1099511627777}]"#, [
            problem("/routes/0/timeout_ms", "timeout_ms must be 1…3600000"),
            problem("/routes/0/max_body_bytes", "max_body_bytes must be 0…1099511627776 (2^40)"),
        ]),
        (#"[{"name":"r","upstream":"u","auth":"basic","strip_prefix":"yes","hosts":"a.com","methods":[1]}]"#, [
            problem("/routes/0/hosts", "expected array, found string"),
            problem("/routes/0/methods/0", "expected string, found integer"),
            problem("/routes/0/strip_prefix", "expected boolean, found string"),
            problem("/routes/0/auth", #"unknown value "basic" (expected one of "none", "jwt", "api_key", "jwt_or_api_key")"#),
        ]),
        (#"[{"name":"a","upstream":"u"},{"name":"b","upstream":"nope","path_prefix":"/b"},{"name":"c"}]"#, [
            problem("/routes/2/upstream", "required field is missing"),
            problem("/routes/1/upstream", #"unknown upstream "nope""#),
        ]),
        (#"[{"name":"a","upstream":"u","auth":"jwt"}]"#, [problem("/routes/0/auth", #"auth "jwt" needs at least one entry in jwt_keys"#)]),
    ]

    @Test(arguments: 0..<routeCases.count)
    func routes(case index: Int) {
        let (routes, expected) = Self.routeCases[index]
        #expect(problems(document(routes: routes)) == expected, "\(routes)")
    }

    static let tierAndConsumerCases: [(String, String, [ConfigProblem])] = [
        (#"[{"name":"t","requests_per_second":0}]"#, "[]",
         [problem("/tiers/0/requests_per_second", "requests_per_second must be > 0 and ≤ 1000000")]),
        (#"[{"name":"t","requests_per_second":"5"}]"#, "[]",
         [problem("/tiers/0/requests_per_second", "expected number, found string")]),
        (#"[{"name":"t"}]"#, "[]", [problem("/tiers/0/requests_per_second", "required field is missing")]),
        (#"[{"name":"t","requests_per_second":1,"burst":0,"requests_per_minute":0,"requests_per_day":0}]"#, "[]", [
            problem("/tiers/0/burst", "burst must be 1…1000000000"),
            problem("/tiers/0/requests_per_minute", "requests_per_minute must be ≥ 1"),
            problem("/tiers/0/requests_per_day", "requests_per_day must be ≥ 1"),
        ]),
        (#"[{"name":"t","requests_per_second":1,"burst":2.5}]"#, "[]", [problem("/tiers/0/burst", "expected integer, found number")]),
        (#"[{"name":"t","requests_per_second":1}]"#, #"[{"id":"c","tier":"gold"},{"id":"","tier":"t","org":"a\u0007"}]"#, [
            problem("/consumers/1/id", "id must not be empty"),
            problem("/consumers/1/org", "org must not contain control characters"),
            problem("/consumers/0/tier", #"unknown tier "gold""#),
        ]),
        ("[]", #"[{"tier":"t","name":"c"}]"#, [
            problem("/consumers/0/name", "unknown field"),
            problem("/consumers/0/id", "required field is missing"),
        ]),
        ("[]", "[{\"id\":\"\(String(repeating: "é", count: 257))\",\"tier\":\"t\"}]", [
            problem("/consumers/0/id", "id must be at most 256 characters"),
            problem("/consumers/0/tier", #"unknown tier "t""#),
        ]),
    ]

    @Test(arguments: 0..<tierAndConsumerCases.count)
    func tiersAndConsumers(case index: Int) {
        let (tiers, consumers, expected) = Self.tierAndConsumerCases[index]
        #expect(problems(document(tiers: tiers, consumers: consumers)) == expected, "\(tiers) \(consumers)")
    }

    @Test func reportsEveryProblemAtOnce() {
        let json = #"""
        {"format": 1, "version": "7", "colour": "blue",
         "upstreams": [{"name": "u", "targets": [{"url": "https://a"}]}, {"name": "u", "targets": [{"url": "http://b"}]}],
         "routes": [{"name": "r", "upstream": "v", "timeout_ms": "5"}, {"name": "s", "upstream": "w"}],
         "tiers": [{"name": "t", "requests_per_second": -1}],
         "consumers": [{"id": "c", "tier": "t"}, {"id": "c", "tier": "t"}]}
        """#
        #expect(problems(json) == [
            problem("/colour", "unknown field"),
            problem("/version", "expected integer, found string"),
            problem("/upstreams/0/targets/0/url", "https targets are not supported yet"),
            problem("/routes/0/timeout_ms", "expected integer, found string"),
            problem("/tiers/0/requests_per_second", "requests_per_second must be > 0 and ≤ 1000000"),
            problem("/upstreams/1/name", #"duplicate upstream name "u" (also at /upstreams/0)"#),
            problem("/consumers/1/id", #"duplicate consumer id "c" (also at /consumers/0)"#),
            problem("/routes/1/upstream", #"unknown upstream "w""#),
        ])
    }

    @Test func referencesAreNotJudgedAgainstAListWithUndecodableEntries() {
        let json = #"""
        {"format":1,"upstreams":[{"name":"u","targets":"none"}],"routes":[{"name":"r","upstream":"u"}],
         "tiers":[{"name":7,"requests_per_second":1}],"consumers":[{"id":"c","tier":"t"}]}
        """#
        #expect(problems(json) == [
            problem("/upstreams/0/targets", "expected array, found string"),
            problem("/tiers/0/name", "expected string, found integer"),
        ])
    }

    @Test func decodeWithoutValidationSkipsCrossEntityRules() throws {
        let bytes = Array(document(routes: #"[{"name":"r","upstream":"elsewhere"},{"name":"r","upstream":"u"}]"#).utf8)
        let snapshot = try SnapshotDecoder.decode(bytes)
        #expect(snapshot.routes.count == 2)
        #expect(snapshot.validate() == [
            problem("/routes/1/name", #"duplicate route name "r" (also at /routes/0)"#),
            problem("/routes/0/upstream", #"unknown upstream "elsewhere""#),
            problem("/routes/1", "route matches the same hosts, path_prefix and methods as /routes/0"),
        ])
        #expect(throws: ConfigError.self) { try SnapshotDecoder.decodeAndValidate(bytes) }
    }

    @Test func syntaxErrorsAreMarkedAsSuch() {
        do {
            _ = try SnapshotDecoder.decode(Array("{\"format\": 1,\n \"routes\": [,]}".utf8))
            Issue.record("accepted broken JSON")
        } catch {
            #expect(error.syntaxError?.kind == .unexpectedByte(UInt8(ascii: ",")))
            #expect(error.syntaxError?.line == 2)
            #expect(error.problems == [problem("", "invalid JSON: line 2, column 13 (byte 26): unexpected character ','")])
        }
    }

    @Test func errorDescriptionListsEveryProblem() {
        let error = ConfigError(problems: [problem("/routes/0/upstream", "unknown upstream \"x\""), problem("", "bad")])
        #expect(error.description == "2 configuration problems:\n  /routes/0/upstream: unknown upstream \"x\"\n  (document): bad")
        #expect(String(decoding: JSONWriter.compact(error.jsonValue), as: UTF8.self)
            == #"{"errors":[{"pointer":"/routes/0/upstream","message":"unknown upstream \"x\""},{"pointer":"","message":"bad"}]}"#)
    }

    @Test func singleEntitiesDecodeWithRelativePointers() throws {
        #expect(throws: ConfigError(problems: [problem("/targets/0/url", "https targets are not supported yet")])) {
            try SnapshotDecoder.decode(UpstreamConfig.self, from: Array(#"{"name":"a","targets":[{"url":"https://x"}]}"#.utf8))
        }
        let route = try SnapshotDecoder.decode(RouteConfig.self, from: Array(#"{"name":"a","upstream":"b","path_prefix":"/x/"}"#.utf8))
        #expect(route.pathPrefix == "/x" && route.upstream == "b")
        let consumer = try ConsumerConfig(json: .object([.init("id", .string("c")), .init("tier", .string("t"))]))
        #expect(consumer == ConsumerConfig(id: "c", tier: "t"))
        #expect(throws: ConfigError.self) { try SnapshotDecoder.decode(TierConfig.self, from: Array("{".utf8)) }
    }
}
