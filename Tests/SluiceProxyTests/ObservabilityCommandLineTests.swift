import SluiceProxy
import SluiceTestSupport
import Testing

/// `--access-log`, `--access-log-query` and `--metrics`.
@Suite struct ObservabilityCommandLineTests {
    private func run(_ arguments: [String]) throws -> ProxyCommandLine {
        guard case .run(let commandLine) = try ProxyCommandLine.parse(["--config", "a.json", "--listen", "127.0.0.1:0"] + arguments) else {
            throw TestClientError("expected .run for \(arguments)")
        }
        return commandLine
    }

    @Test func defaultsAreAccessLogOffWithoutQueryAndMetricsOn() throws {
        let commandLine = try run([])
        #expect(commandLine.accessLog == .off)
        #expect(!commandLine.accessLogQuery)
        #expect(commandLine.metrics)
    }

    @Test func destinationsAndSwitches() throws {
        #expect(try run(["--access-log", "stdout"]).accessLog == .standardOutput)
        #expect(try run(["--access-log=/var/log/sluice.log"]).accessLog == .file("/var/log/sluice.log"))
        #expect(try run(["--access-log", "off"]).accessLog == .off)
        let both = try run(["--access-log-query", "--access-log", "x.log", "--metrics", "off"])
        #expect(both.accessLogQuery)
        #expect(both.accessLog == .file("x.log"))
        #expect(!both.metrics)
    }

    @Test func badValuesAreRefused() {
        for arguments in [["--metrics", "maybe"], ["--access-log-query=yes"], ["--access-log-query", "--access-log-query"],
                          ["--access-log"]] {
            #expect(throws: ProxyCommandLineError.self, "\(arguments)") { _ = try run(arguments) }
        }
    }

    @Test func usageNamesTheFlags() {
        for flag in ["--access-log off|stdout|PATH", "--access-log-query", "--metrics on|off", "/metrics"] {
            #expect(ProxyCommandLine.usage.contains(flag), "\(flag)")
        }
    }
}
