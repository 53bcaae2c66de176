import Foundation
import SluiceTestSupport
import Testing

/// The exit statuses scripts rely on (0 ok, 1 refused, 2 usage, 3 unreachable/5xx/bad response,
/// 4 authentication), `--help`, and the HTTP client against scripted servers.
@Suite struct SluicectlExitStatusTests {
    @Test func badOrMissingTokenExits4() throws {
        let harness = try SluicectlHarness()
        let bad = try harness.run(["upstreams", "list"], environment: ["SLUICE_ADMIN_TOKEN": "wrong"])
        #expect(bad.status == 4)
        #expect(bad.standardError.hasPrefix("error: 401 "))
        #expect(!bad.standardError.contains("wrong"))
        let flag = try harness.run(["--token", "also-wrong", "publish"])
        #expect(flag.status == 4)
        let missing = try harness.run(["tiers", "list"], environment: ["SLUICE_ADMIN_TOKEN": ""])
        #expect(missing.status == 4)
        // The data-plane token is not an admin token.
        let dataplane = try harness.run(["--token", SluicectlHarness.dataplaneToken, "dataplanes"])
        #expect(dataplane.status == 4)
        #expect(dataplane.standardError.hasPrefix("error: 403 "))
        // --token on the line wins over the environment.
        let good = try harness.run(["--token", SluicectlHarness.adminToken, "tiers", "list"],
                                   environment: ["SLUICE_ADMIN_TOKEN": "wrong"])
        #expect(good.status == 0)
    }

    @Test func serverDownExits3() throws {
        let directory = try TemporaryDirectory(prefix: "sluicectl-down")
        defer { directory.remove() }
        // A port that was just free: bind, read it back, close.
        let server = try ScriptedUpstreamServer { _ in }
        let port = server.port
        server.stop()
        let result = try SluicectlHarness.run(["--server", "http://127.0.0.1:\(port)", "upstreams", "list"],
                                              environment: ["SLUICE_ADMIN_TOKEN": "t"], directory: directory)
        #expect(result.status == 3)
        #expect(result.standardError == "error: cannot connect to http://127.0.0.1:\(port): Connection refused\n")
        let fromEnvironment = try SluicectlHarness.run(["versions", "list"],
                                                       environment: ["SLUICE_SERVER": "http://localhost:\(port)"],
                                                       directory: directory)
        #expect(fromEnvironment.status == 3)
    }

    @Test func usageErrorsExit2() throws {
        let directory = try TemporaryDirectory(prefix: "sluicectl-usage")
        defer { directory.remove() }
        // No server runs: a usage error is found before any connection.
        let cases: [([String], String)] = [
            ([], "missing command"),
            (["bogus"], "unknown command \"bogus\""),
            (["upstreams"], "upstreams needs a command"),
            (["upstreams", "frobnicate"], "unknown command \"upstreams frobnicate\""),
            (["upstreams", "get"], "missing upstream name"),
            (["upstreams", "list", "--bogus"], "unknown option --bogus"),
            (["upstreams", "list", "extra"], "unexpected argument \"extra\""),
            (["upstreams", "create"], "upstreams create needs --file"),
            (["tiers", "create", "--name", "x", "--rps", "fast"], "--rps needs a number"),
            (["routes", "create", "--timeout-ms", "soon"], "--timeout-ms needs a whole number"),
            (["routes", "create", "--name"], "--name needs a value"),
            (["upstreams", "create", "--file", "/nonexistent/x.json"], "cannot read /nonexistent/x.json"),
            (["versions", "show", "latest"], "\"latest\" is not a version number"),
            (["routes", "add-key", "x"], "unknown command \"routes add-key\""),
            (["--server", "https://127.0.0.1:9901", "upstreams", "list"], "https:// is not supported yet"),
            (["--server", "127.0.0.1:9901", "upstreams", "list"], "server URL must start with http://"),
        ]
        for (arguments, message) in cases {
            let result = try SluicectlHarness.run(arguments, environment: [:], directory: directory)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.standardError.hasPrefix("error: \(message)"), "\(arguments): \(result.standardError)")
            #expect(result.standardError.hasSuffix("(see sluicectl --help)\n"))
            #expect(result.standardOutput.isEmpty)
        }
    }

    @Test func helpAtEveryLevelExits0() throws {
        let directory = try TemporaryDirectory(prefix: "sluicectl-help")
        defer { directory.remove() }
        let top = try SluicectlHarness.run(["--help"], environment: [:], directory: directory)
        #expect(top.status == 0)
        #expect(top.standardOutput.contains("Usage: sluicectl [--server URL] [--token TOKEN] [--json] COMMAND"))
        for line in ["  0  success", "  1  the server refused", "  2  usage error", "  3  cannot reach the server",
                     "  4  authentication failed"] {
            #expect(top.standardOutput.contains(line), "\(line)")
        }
        let cases: [([String], String)] = [
            (["upstreams", "--help"], "--target URL[:WEIGHT]"),
            (["routes", "create", "--help"], "--path-prefix PREFIX"),
            (["-h", "tiers"], "--per-day N"),
            (["consumers", "--help"], "sluicectl consumers add-key ID"),
            (["jwt-keys", "--help"], "--public-key-file PEM"),
            (["help", "versions"], "sluicectl versions diff N [--against M]"),
            (["publish", "--help"], "sluicectl publish [-m|--message TEXT]"),
            (["dataplanes", "--help"], "sluicectl dataplanes"),
            (["help"], "Exit status:"),
        ]
        for (arguments, text) in cases {
            let result = try SluicectlHarness.run(arguments, environment: [:], directory: directory)
            #expect(result.status == 0, "\(arguments): \(result)")
            #expect(result.standardOutput.contains(text), "\(arguments): \(result.standardOutput)")
        }
    }

    /// Answers every connection with one scripted response after reading the request, and keeps the requests.
    private static func scriptedServer(_ responses: [String]) throws -> (ScriptedUpstreamServer, SluicectlRequestLog) {
        let requests = SluicectlRequestLog()
        let server = try ScriptedUpstreamServer { connection in
            guard let request = connection.readRequest() else { return }
            let index = requests.append(String(decoding: request, as: UTF8.self))
            _ = connection.write(responses[min(index, responses.count - 1)])
        }
        return (server, requests)
    }

    @Test func updateSendsIfMatchAndReportsA412() throws {
        let directory = try TemporaryDirectory(prefix: "sluicectl-ifmatch")
        defer { directory.remove() }
        let current = #"{"name": "free", "requests_per_second": 5, "burst": 10}"#
        let conflict = #"{"errors": [{"pointer": "", "message": "the tier changed"}]}"#
        let (server, requests) = try Self.scriptedServer([
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"rev-7\"\r\nContent-Length: \(current.utf8.count)\r\n\r\n\(current)",
            "HTTP/1.1 412 Precondition Failed\r\nContent-Length: \(conflict.utf8.count)\r\n\r\n\(conflict)",
        ])
        defer { server.stop() }
        let result = try SluicectlHarness.run(["tiers", "update", "free", "--rps", "9"],
                                              environment: ["SLUICE_SERVER": "http://127.0.0.1:\(server.port)",
                                                            "SLUICE_ADMIN_TOKEN": "t"],
                                              directory: directory)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: 412 the tier changed (tier \"free\" changed since it was read"))
        let sent = requests.all
        #expect(sent.count == 2)
        #expect(sent.first?.hasPrefix("GET /v1/tiers/free HTTP/1.1\r\n") == true)
        let put = sent.count == 2 ? sent[1] : ""
        #expect(put.hasPrefix("PUT /v1/tiers/free HTTP/1.1\r\n"))
        #expect(put.contains("\r\nIf-Match: \"rev-7\"\r\n"))
        #expect(put.contains("\r\nAuthorization: Bearer t\r\n"))
        #expect(put.hasSuffix(#"{"name":"free","requests_per_second":9,"burst":10}"#))
    }

    @Test func chunkedResponsesAreDecodedAndServerErrorsExit3() throws {
        let directory = try TemporaryDirectory(prefix: "sluicectl-chunked")
        defer { directory.remove() }
        let body = #"{"items": [{"name": "free", "requests_per_second": 5, "burst": 10}], "total": 1, "limit": 1000, "offset": 0}"#
        let split = body.index(body.startIndex, offsetBy: 20)
        let first = String(body[..<split])
        let rest = String(body[split...])
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(first.utf8.count, radix: 16) + "\r\n" + first + "\r\n"
            + String(rest.utf8.count, radix: 16) + "\r\n" + rest + "\r\n0\r\n\r\n"
        let (server, _) = try Self.scriptedServer([chunked])
        defer { server.stop() }
        let environment = ["SLUICE_SERVER": "http://127.0.0.1:\(server.port)"]
        let list = try SluicectlHarness.run(["tiers", "list"], environment: environment, directory: directory)
        #expect(list.status == 0, "\(list)")
        #expect(list.lines == ["NAME  RPS  BURST  PER_MINUTE  PER_DAY", "free  5    10     -           -"])

        let (failing, _) = try Self.scriptedServer(["HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"])
        defer { failing.stop() }
        let unavailable = try SluicectlHarness.run(["tiers", "list"], environment: ["SLUICE_SERVER": "http://127.0.0.1:\(failing.port)"],
                                                   directory: directory)
        #expect(unavailable.status == 3)
        #expect(unavailable.standardError == "error: 503 server error\n")

        let (garbage, _) = try Self.scriptedServer(["SSH-2.0-OpenSSH\r\n\r\n"])
        defer { garbage.stop() }
        let bad = try SluicectlHarness.run(["tiers", "list"], environment: ["SLUICE_SERVER": "http://127.0.0.1:\(garbage.port)"],
                                           directory: directory)
        #expect(bad.status == 3)
        #expect(bad.standardError.hasPrefix("error: bad response from http://127.0.0.1:\(garbage.port)"))
    }
}
