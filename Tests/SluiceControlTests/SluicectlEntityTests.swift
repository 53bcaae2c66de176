import Foundation
import SluiceConfig
import SluiceTestSupport
import Testing

/// `sluicectl` entity commands end to end against a real `sluice-control`.
@Suite struct SluicectlEntityTests {
    @Test func createWithFlagsThenListAsTableAndJSON() throws {
        let harness = try SluicectlHarness()
        let upstream = try harness.run(["upstreams", "create", "--name", "users", "--target", "http://10.0.0.5:8080",
                                        "--target", "http://10.0.0.6:8080:3", "--algorithm", "round_robin"])
        #expect(upstream.status == 0, "\(upstream)")
        #expect(upstream.standardOutput == "created upstream \"users\"\n")
        let route = try harness.run(["routes", "create", "--name", "r", "--path-prefix", "/api", "--upstream", "users",
                                     "--host", "api.example.com", "--method", "get", "--strip-prefix", "--timeout-ms", "2500"])
        #expect(route.status == 0, "\(route)")
        #expect(try harness.run(["tiers", "create", "--name", "free", "--rps", "5", "--burst", "10", "--per-day", "1000"]).status == 0)
        #expect(try harness.run(["consumers", "create", "--id", "user-42", "--tier", "free", "--org", "acme"]).status == 0)

        let upstreams = try harness.run(["upstreams", "list"])
        #expect(upstreams.status == 0)
        #expect(upstreams.lines == ["NAME   ALGORITHM    TARGETS",
                                    "users  round_robin  http://10.0.0.5:8080,http://10.0.0.6:8080*3"])
        let routes = try harness.run(["routes", "list"])
        #expect(routes.lines == ["NAME  HOSTS            PREFIX  METHODS  UPSTREAM  AUTH",
                                 "r     api.example.com  /api    GET      users     none"])
        let tiers = try harness.run(["tiers", "list"])
        #expect(tiers.lines == ["NAME  RPS  BURST  PER_MINUTE  PER_DAY", "free  5    10     -           1000"])
        let consumers = try harness.run(["consumers", "list"])
        #expect(consumers.lines == ["ID       TIER  ORG", "user-42  free  acme"])

        // --json anywhere on the line: the server's list object, pretty.
        let json = try harness.run(["routes", "list", "--json"])
        #expect(json.status == 0)
        #expect(json.standardOutput.contains("\n  \"items\": ["))
        let value = try JSONParser.parse(json.standardOutput)
        #expect(value["total"] == .integer(1))
        guard case .array(let items)? = value["items"], let item = items.first else {
            Issue.record("no items in \(value)")
            return
        }
        #expect(item["strip_prefix"] == .bool(true))
        #expect(item["timeout_ms"] == .integer(2500))
        #expect(item["methods"] == .array([.string("GET")]))
    }

    @Test func createFromFileAndFromStdinThenGet() throws {
        let harness = try SluicectlHarness()
        let file = harness.directory.file("users.json")
        try #"{"name": "users", "targets": [{"url": "http://127.0.0.1:7000", "weight": 2}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try harness.run(["upstreams", "create", "--file", file])
        #expect(fromFile.status == 0, "\(fromFile)")
        #expect(try harness.run(["tiers", "create", "--name", "gold", "--rps", "2.5"]).status == 0)
        let fromStdin = try harness.run(["consumers", "create", "-f", "-"], stdin: #"{"id": "c1", "tier": "gold"}"#)
        #expect(fromStdin.status == 0, "\(fromStdin)")

        let upstream = try harness.run(["upstreams", "get", "users"])
        #expect(upstream.status == 0)
        let value = try JSONParser.parse(upstream.standardOutput)
        #expect(value["targets"] == .array([.object([.init("url", .string("http://127.0.0.1:7000")), .init("weight", .integer(2))])]))
        let consumer = try JSONParser.parse(try harness.run(["consumers", "get", "c1"]).standardOutput)
        #expect(consumer["tier"] == .string("gold"))
        let tier = try JSONParser.parse(try harness.run(["tiers", "get", "gold", "--json"]).standardOutput)
        #expect(tier["requests_per_second"] == .number(2.5))

        let notJSON = try harness.run(["consumers", "create", "--file", "-"], stdin: "{nope")
        #expect(notJSON.status == 2)
        #expect(notJSON.standardError.hasPrefix("error: stdin is not valid JSON"))
        let missing = try harness.run(["upstreams", "get", "nobody"])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasPrefix("error: 404 "))
    }

    @Test func updateChangesFlaggedFieldsOrReplacesFromFile() throws {
        let harness = try SluicectlHarness()
        #expect(try harness.run(["tiers", "create", "--name", "free", "--rps", "5", "--burst", "10"]).status == 0)
        let update = try harness.run(["tiers", "update", "free", "--rps", "7"])
        #expect(update.status == 0, "\(update)")
        #expect(update.standardOutput == "updated tier \"free\"\n")
        let tier = try JSONParser.parse(try harness.run(["tiers", "get", "free"]).standardOutput)
        #expect(tier["requests_per_second"] == .integer(7))
        #expect(tier["burst"] == .integer(10))

        // --file replaces the object (the burst goes back to its default), --force skips If-Match.
        let replaced = try harness.run(["tiers", "update", "free", "--file", "-", "--force"],
                                       stdin: #"{"name": "free", "requests_per_second": 1}"#)
        #expect(replaced.status == 0, "\(replaced)")
        let after = try JSONParser.parse(try harness.run(["tiers", "get", "free"]).standardOutput)
        #expect(after["requests_per_second"] == .integer(1))
        #expect(after["burst"] != .integer(10))

        let nothing = try harness.run(["tiers", "update", "free"])
        #expect(nothing.status == 2)
        let unknown = try harness.run(["tiers", "update", "nobody", "--rps", "1"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.hasPrefix("error: 404 "))
    }

    @Test func deletingAnUpstreamInUseIsRefused() throws {
        let harness = try SluicectlHarness()
        #expect(try harness.run(["upstreams", "create", "--name", "users", "--target", "http://10.0.0.5:8080"]).status == 0)
        #expect(try harness.run(["routes", "create", "--name", "r", "--path-prefix", "/api", "--upstream", "users"]).status == 0)
        let refused = try harness.run(["upstreams", "delete", "users"])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.isEmpty)
        #expect(refused.standardError == "error: 409 upstream \"users\" is used by route \"r\"\n")

        #expect(try harness.run(["routes", "delete", "r"]).standardOutput == "deleted route \"r\"\n")
        let deleted = try harness.run(["upstreams", "delete", "users"])
        #expect(deleted.status == 0)
        #expect(try harness.run(["upstreams", "list"]).lines == ["NAME  ALGORITHM  TARGETS"])
    }

    @Test func validationErrorsPrintTheirPointers() throws {
        let harness = try SluicectlHarness()
        let result = try harness.run(["upstreams", "create", "--name", "bad", "--target", "ftp://10.0.0.5:21"])
        #expect(result.status == 1)
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: 422 invalid configuration")
        #expect(lines.dropFirst().contains { $0.hasPrefix("  /targets/0/url: ") })
        #expect(try harness.run(["upstreams", "list", "--json"]).standardOutput.contains("\"total\": 0"))
    }

    @Test func addKeyShowsTheKeyOnceAndDeleteKeyRemovesIt() throws {
        let harness = try SluicectlHarness()
        #expect(try harness.run(["tiers", "create", "--name", "free", "--rps", "5"]).status == 0)
        #expect(try harness.run(["consumers", "create", "--id", "user-42", "--tier", "free"]).status == 0)
        let added = try harness.run(["consumers", "add-key", "user-42"])
        #expect(added.status == 0, "\(added)")
        #expect(added.standardOutput.contains("won't be shown again"))
        let keyLine = try #require(added.lines.first { $0.hasPrefix("key:") })
        let key = keyLine.dropFirst("key:".count).trimmingCharacters(in: .whitespaces)
        #expect(key.count >= 20)
        let keyIDLine = try #require(added.lines.first { $0.hasPrefix("key_id:") })
        let keyID = keyIDLine.dropFirst("key_id:".count).trimmingCharacters(in: .whitespaces)
        // The key is not part of the consumer afterwards.
        #expect(!(try harness.run(["consumers", "get", "user-42"]).standardOutput.contains(key)))

        let json = try JSONParser.parse(try harness.run(["--json", "consumers", "add-key", "user-42"]).standardOutput)
        #expect(json["consumer"] == .string("user-42"))
        guard case .string(let second)? = json["key"] else { Issue.record("no key in \(json)"); return }
        #expect(second != key)

        // `keys` lists both by id and prefix, never the keys themselves.
        let listed = try harness.run(["consumers", "keys", "user-42"])
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.lines.first?.hasPrefix("KEY_ID") == true && listed.lines.count == 3)
        #expect(listed.standardOutput.contains(keyID) && !listed.standardOutput.contains(key) && !listed.standardOutput.contains(second))
        let listedJSON = try JSONParser.parse(try harness.run(["--json", "consumers", "keys", "user-42"]).standardOutput)
        #expect(listedJSON["total"] == .integer(2))
        #expect(try harness.run(["consumers", "keys", "nobody"]).status == 1)

        let deleted = try harness.run(["consumers", "delete-key", "user-42", keyID])
        #expect(deleted.status == 0, "\(deleted)")
        let again = try harness.run(["consumers", "delete-key", "user-42", keyID])
        #expect(again.status == 1)
        #expect(again.standardError.hasPrefix("error: 404 "))
        #expect(try harness.run(["consumers", "keys", "user-42"]).lines.count == 2)
    }
}

/// JWT keys and the audit log through sluicectl.
@Suite struct SluicectlKeyAndAuditTests {
    @Test func jwtKeysCreateListAndDelete() throws {
        let harness = try SluicectlHarness()
        let created = try harness.run(["jwt-keys", "create", "--kid", "k1", "--alg", "HS256",
                                       "--secret", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=", "--issuer", "acme",
                                       "--audience", "api", "--audience", "web", "--leeway-seconds", "10"])
        #expect(created.status == 0, "\(created)")
        #expect(created.standardOutput == "created JWT key \"k1\"\n")
        // `create -` reads the object from stdin.
        let fromStdin = try harness.run(["jwt-keys", "create", "-"],
                                        stdin: #"{"kid": "k2", "alg": "HS256", "secret": "YW5vdGhlci1zZWNyZXQtYW5vdGhlci1zZWNyZXQtMTIzNDU="}"#)
        #expect(fromStdin.status == 0, "\(fromStdin)")
        let list = try harness.run(["jwt-keys", "list"])
        #expect(list.lines == ["KID  ALG    ISSUER  AUDIENCES  LEEWAY", "k1   HS256  acme    api,web    10",
                               "k2   HS256  -       -          30"])
        #expect(try harness.run(["jwt-keys", "delete", "k2"]).status == 0)
        #expect(try harness.run(["jwt-keys", "list"]).lines.count == 2)
    }

    @Test func auditShowsWhoChangedWhat() throws {
        let harness = try SluicectlHarness()
        #expect(try harness.run(["tiers", "create", "--name", "free", "--rps", "5"]).status == 0)
        #expect(try harness.run(["tiers", "update", "free", "--rps", "6"]).status == 0)
        let audit = try harness.run(["audit"])
        #expect(audit.status == 0, "\(audit)")
        #expect(audit.lines.first?.split(separator: " ", omittingEmptySubsequences: true)
                    == ["ID", "AT", "ACTOR", "ACTION", "KIND", "ENTITY", "DETAIL"])
        #expect(audit.lines.count == 3)
        #expect(audit.lines.dropFirst().allSatisfy { $0.contains("free") })
        let one = try JSONParser.parse(try harness.run(["audit", "--limit", "1", "--json"]).standardOutput)
        guard case .array(let items)? = one["items"] else { Issue.record("no items: \(one)"); return }
        #expect(items.count == 1)
        #expect(try harness.run(["audit", "--limit", "0"]).status == 2)
    }

    @Test func noTokenSaysHowToGiveOne() throws {
        let harness = try SluicectlHarness()
        let result = try harness.run(["tiers", "list"], environment: ["SLUICE_ADMIN_TOKEN": ""])
        #expect(result.status == 4)
        #expect(result.standardError.contains("(no token given: use --token or SLUICE_ADMIN_TOKEN)"))
    }
}

/// `sluicectl orgs` end to end.
@Suite struct SluicectlOrgTests {
    @Test func orgsCreateListUpdateAndDelete() throws {
        let harness = try SluicectlHarness()
        let created = try harness.run(["orgs", "create", "--id", "acme", "--rps", "100", "--burst", "200", "--per-day", "100000"])
        #expect(created.status == 0, "\(created)")
        #expect(created.standardOutput == "created org \"acme\"\n")
        let fromStdin = try harness.run(["orgs", "create", "-"], stdin: #"{"id": "beta", "requests_per_minute": 60}"#)
        #expect(fromStdin.status == 0, "\(fromStdin)")
        let list = try harness.run(["orgs", "list"])
        #expect(list.lines == ["ID    RPS  BURST  PER_MINUTE  PER_DAY", "acme  100  200    -           100000",
                               "beta  -    -      60          -"])
        let json = try JSONParser.parse(try harness.run(["orgs", "list", "--json"]).standardOutput)
        #expect(json["total"] == .integer(2))

        #expect(try harness.run(["orgs", "update", "beta", "--per-minute", "120"]).status == 0)
        #expect(try JSONParser.parse(try harness.run(["orgs", "get", "beta"]).standardOutput)["requests_per_minute"] == .integer(120))
        let invalid = try harness.run(["orgs", "create", "--id", "empty"])
        #expect(invalid.status == 1)
        #expect(invalid.standardError.contains("an org needs at least one limit"))
        #expect(try harness.run(["orgs", "delete", "acme"]).status == 0)
        #expect(try harness.run(["orgs", "list"]).lines.count == 2)
        #expect(try harness.run(["orgs", "--help"]).standardOutput.contains("--per-minute N"))
    }

    @Test func policyFlagsAndDiffLines() throws {
        let harness = try SluicectlHarness()
        let jwk = harness.directory.file("key.jwk")
        try #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
            .write(toFile: jwk, atomically: true, encoding: .utf8)
        let key = try harness.run(["jwt-keys", "create", "--kid", "ed", "--alg", "EdDSA", "--jwk-file", jwk])
        #expect(key.status == 0, "\(key)")
        let stored = try JSONParser.parse(try harness.run(["jwt-keys", "get", "ed"]).standardOutput)
        #expect(stored["jwk"]?["crv"] == .string("Ed25519") && stored["leeway_seconds"] == .integer(30))
        #expect(try harness.run(["upstreams", "create", "--name", "u", "--target", "http://10.0.0.5:8080"]).status == 0)
        let route = try harness.run(["routes", "create", "--name", "r", "--upstream", "u", "--auth", "api_key",
                                     "--api-key-header", "X-Key"])
        #expect(route.status == 0, "\(route)")
        #expect(try harness.run(["publish", "-m", "one"]).status == 0)
        #expect(try harness.run(["tiers", "create", "--name", "t", "--rps", "1"]).status == 0)
        #expect(try harness.run(["consumers", "create", "--id", "c", "--tier", "t", "--org", "acme"]).status == 0)
        #expect(try harness.run(["orgs", "create", "--id", "acme", "--per-minute", "60"]).status == 0)
        let issued = try JSONParser.parse(try harness.run(["--json", "consumers", "add-key", "c"]).standardOutput)
        let keyID = issued["key_id"].map { if case .string(let text) = $0 { text } else { "" } } ?? ""
        #expect(try harness.run(["publish", "-m", "two"]).status == 0)
        let diff = try harness.run(["versions", "diff", "2"])
        #expect(diff.lines == ["version 2 against version 1", "+ tier t", "+ org acme", "+ consumer c", "+ api-key \(keyID)"])
        let routes = try JSONParser.parse(try harness.run(["routes", "get", "r"]).standardOutput)
        #expect(routes["api_key_header"] == .string("X-Key"))
    }
}
