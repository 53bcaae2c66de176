import Foundation
import SluiceHTTP
import SluiceProxy
import SluiceTestSupport
import Testing

@Suite struct ProxyProcessCommandLineTests {
    private func run(_ arguments: [String]) throws -> ProxyCommandLine {
        guard case .run(let commandLine) = try ProxyCommandLine.parse(arguments) else {
            throw TestClientError("expected .run for \(arguments)")
        }
        return commandLine
    }

    private func failure(_ arguments: [String]) -> ProxyCommandLineError? {
        do {
            _ = try ProxyCommandLine.parse(arguments)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesSeparateAndEqualsForms() throws {
        let separate = try run(["--config", "a.json", "--listen", "127.0.0.1:8080", "--workers", "3",
                                "--admin-listen", "[::1]:0"])
        #expect(separate.configPath == "a.json")
        #expect(separate.listenAddress == (try SocketAddress(parsing: "127.0.0.1:8080")))
        #expect(separate.workers == 3)
        #expect(separate.adminAddress == (try SocketAddress(parsing: "[::1]:0")))
        let equals = try run(["--config=a.json", "--listen=127.0.0.1:8080", "--workers=3", "--admin-listen=[::1]:0"])
        #expect(equals == separate)
    }

    @Test func defaultsAreCoresAndNoAdminListener() throws {
        let commandLine = try run(["--listen", "0.0.0.0:0", "--config", "/etc/sluice.json"])
        #expect(commandLine.workers == SystemInfo.onlineCPUCount)
        #expect(commandLine.adminAddress == nil)
    }

    @Test func policyFlags() throws {
        let listen = ["--config", "c", "--listen", "127.0.0.1:0"]
        let commandLine = try run(listen + ["--trusted-proxies", "10.0.0.0/8, ::1", "--rate-limit-keys=4096"])
        #expect(commandLine.trustedProxies == (try TrustedProxies(list: "10.0.0.0/8,::1")))
        #expect(commandLine.rateLimitKeys == 4096)
        #expect(try run(listen).trustedProxies.isEmpty)
        #expect(try run(listen).rateLimitKeys == 262_144)
        #expect(failure(listen + ["--trusted-proxies", "10.0.0.1/8"])
            == .invalidValue(flag: "--trusted-proxies", value: "10.0.0.1/8", reason: "not a CIDR block (an address, then /bits, with no host bits set, e.g. 10.0.0.0/8): 10.0.0.1/8"))
        for bad in ["0", "63", "lots", "999999999999"] {
            guard case .invalidValue(flag: "--rate-limit-keys", value: bad, _)? = failure(listen + ["--rate-limit-keys", bad]) else {
                Issue.record("--rate-limit-keys \(bad) accepted")
                continue
            }
        }
    }

    @Test func helpWinsOverEverythingElse() throws {
        #expect(try ProxyCommandLine.parse(["--bogus", "--help"]) == .help)
        #expect(try ProxyCommandLine.parse(["-h"]) == .help)
    }

    @Test func rejectsWhatItCannotRun() throws {
        let listen = ["--listen", "127.0.0.1:0"]
        #expect(failure(["--config", "c", "--bogus", "1"] + listen) == .unknownFlag("--bogus"))
        #expect(failure(["--config", "c", "--bogus=1"] + listen) == .unknownFlag("--bogus"))
        #expect(failure(["c.json"] + listen) == .unexpectedArgument("c.json"))
        #expect(failure(listen + ["--config"]) == .missingValue(flag: "--config"))
        #expect(failure(["--config", "--listen", "127.0.0.1:0"]) == .missingValue(flag: "--config"))
        #expect(failure(["--config="] + listen) == .missingValue(flag: "--config"))
        #expect(failure(["--config", "a", "--config", "b"] + listen) == .repeatedFlag("--config"))
        #expect(failure(listen) == .missingFlag("--config or --control-plane"))
        #expect(failure(["--config", "c"]) == .missingFlag("--listen"))
        // A host name resolves (localhost prefers IPv4); a missing or out-of-range port does not.
        #expect(try run(["--config", "c", "--listen", "localhost:80"]).listenAddress == (try SocketAddress(parsing: "127.0.0.1:80")))
        for bad in ["127.0.0.1", "127.0.0.1:99999", "::1:80", "localhost"] {
            guard case .invalidValue(flag: "--listen", value: bad, _)? = failure(["--config", "c", "--listen", bad]) else {
                Issue.record("--listen \(bad) accepted")
                continue
            }
        }
        for bad in ["0", "-1", "two", "5000"] {
            guard case .invalidValue(flag: "--workers", value: bad, _)? = failure(["--config", "c", "--workers", bad] + listen) else {
                Issue.record("--workers \(bad) accepted")
                continue
            }
        }
        guard case .invalidValue(flag: "--admin-listen", _, _)? = failure(["--config", "c", "--admin-listen", "x"] + listen) else {
            Issue.record("bad --admin-listen accepted")
            return
        }
    }

    // MARK: The built binary

    @Test func helpDocumentsEveryFlagAndExitsZero() throws {
        let result = try runProxyToExit(["--help"])
        #expect(result.status == 0)
        for flag in ["--config", "--listen", "--workers", "--admin-listen", "--help", "SIGHUP", "SIGTERM", "listening proxy="] {
            #expect(result.standardOutput.contains(flag), "--help does not mention \(flag)")
        }
    }

    @Test func commandLineErrorsExitTwoWithAReason() throws {
        let unknown = try runProxyToExit(["--config", "c.json", "--listen", "127.0.0.1:0", "--frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("unknown flag --frobnicate"))
        #expect(unknown.standardOutput.isEmpty)
        let missing = try runProxyToExit(["--config", "c.json", "--listen"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("--listen needs a value"))
        let badAddress = try runProxyToExit(["--config", "c.json", "--listen", "somewhere"])
        #expect(badAddress.status == 2)
        #expect(badAddress.standardError.contains("invalid --listen \"somewhere\""))
    }

    @Test func invalidConfigAtStartListsEveryProblemAndExitsOne() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write("""
            {"format": 1, "version": 1,
             "upstreams": [{"name": "backend", "targets": [{"url": "http://127.0.0.1:9", "weight": 0}]}],
             "routes": [{"name": "all", "path_prefix": "/", "upstream": "missing"}]}
            """)
        let result = try runProxyToExit(["--config", file.path, "--listen", "127.0.0.1:0"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty, "no listening line for a config that cannot run")
        let refused = try #require(eventLines(result.standardError).first { $0["event"] as? String == "config_refused" })
        #expect(refused["level"] as? String == "error")
        #expect(refused["source"] as? String == file.path)
        let message = try #require(refused["message"] as? String)
        #expect(message.contains(file.path))
        #expect(message.contains("/routes/0/upstream: unknown upstream \"missing\""))
        #expect(message.contains("/upstreams/0/targets/0/weight"))
    }

    @Test func missingOrMalformedConfigFileExitsOne() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        let missing = try runProxyToExit(["--config", file.path, "--listen", "127.0.0.1:0"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("cannot read \(file.path)"))
        try file.write(#"{"format": 1, "version": "#)
        let malformed = try runProxyToExit(["--config", file.path, "--listen", "127.0.0.1:0"])
        #expect(malformed.status == 1)
        #expect(malformed.standardError.contains("invalid JSON"))
    }

    @Test func listeningLineNamesConnectablePortsAndSIGTERMExitsZero() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1))
        let proxy = try RunningProxy(configPath: file.path)
        let line = proxy.child.listeningLine
        #expect(line.hasPrefix("listening proxy=127.0.0.1:"))
        #expect(line.contains(" admin=127.0.0.1:"))
        let proxyPort = try proxy.proxyPort
        let adminPort = try proxy.adminPort
        #expect(proxyPort != 0 && adminPort != 0 && proxyPort != adminPort)
        let response = try proxy.request("GET", "/anything", port: proxyPort)
        #expect(response.status >= 400, "the proxy port answers HTTP")
        #expect(try proxy.admin("/health").status == 200)
        let stopped = proxy.stop()
        #expect(stopped.status == 0)
        #expect(stopped.standardError.contains("loaded config version 1"))
    }

    @Test func withoutAdminListenThereIsNoAdminPairAndSIGINTExitsZero() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1))
        let proxy = try RunningProxy(configPath: file.path, admin: false)
        #expect(!proxy.child.listeningLine.contains("admin="))
        #expect(proxy.child.ports.keys.sorted() == ["proxy"])
        #expect(proxy.stop(signal: SIGINT).status == 0)
    }

    @Test func ipv6ListenersAreBracketedOnTheListeningLine() throws {
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1))
        let child = ChildProcess(executable: "sluice-proxy", arguments: [
            "--config", file.path, "--listen", "[::1]:0", "--admin-listen=[::1]:0", "--workers=1"])
        try child.start()
        #expect(child.listeningLine.hasPrefix("listening proxy=[::1]:"))
        #expect(child.listeningLine.contains(" admin=[::1]:"))
        #expect((child.ports["proxy"] ?? 0) != 0 && (child.ports["admin"] ?? 0) != 0)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }
}
