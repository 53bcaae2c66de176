import SluiceHTTP
import Testing
@testable import SluiceControl

/// `--demo` parsing: its defaults, its flags, and that they need `--demo`.
@Suite struct DemoCommandLineTests {
    @Test func demoDefaults() throws {
        guard case .run(let commandLine) = try ControlCommandLine.parse(["--demo"]) else {
            Issue.record("expected .run")
            return
        }
        #expect(commandLine.databasePath == "./data/sluice.db")
        #expect(commandLine.listenAddress == ControlCommandLine.defaultListenAddress)
        #expect(commandLine.demo == DemoCommandLine())
        #expect(commandLine.demo?.proxyListenAddress == .loopbackIPv4(port: 8080))
        #expect(commandLine.demo?.proxyAdminAddress == .loopbackIPv4(port: 8081))
        #expect(commandLine.demo?.upstreamAddress == .loopbackIPv4(port: 9001))
        #expect(commandLine.demo?.upstreamMayMove == true)
    }

    @Test func demoFlags() throws {
        let request = try ControlCommandLine.parse(["--proxy-listen=127.0.0.1:0", "--demo", "--db", "x.db",
                                                    "--proxy-admin-listen", "off", "--demo-upstream-listen", "127.0.0.1:7"])
        guard case .run(let commandLine) = request, let demo = commandLine.demo else {
            Issue.record("expected .run with --demo")
            return
        }
        #expect(commandLine.databasePath == "x.db")
        #expect(demo.proxyListenAddress == .loopbackIPv4(port: 0))
        #expect(demo.proxyAdminAddress == nil)
        #expect(demo.upstreamAddress == .loopbackIPv4(port: 7))
        #expect(demo.upstreamMayMove == false)
    }

    @Test func demoFlagsNeedDemoAndDbStaysRequiredWithout() {
        #expect(throws: ControlCommandLineError.invalidValue(flag: "--proxy-listen", value: "127.0.0.1:0", reason: "only with --demo")) {
            try ControlCommandLine.parse(["--db", "x.db", "--proxy-listen", "127.0.0.1:0"])
        }
        #expect(throws: ControlCommandLineError.missingFlag("--db")) { try ControlCommandLine.parse(["--listen", "127.0.0.1:0"]) }
        #expect(throws: ControlCommandLineError.repeatedFlag("--demo")) { try ControlCommandLine.parse(["--demo", "--demo"]) }
        #expect(throws: ControlCommandLineError.invalidValue(flag: "--demo", value: "yes", reason: "takes no value")) { try ControlCommandLine.parse(["--demo=yes"]) }
        #expect(throws: (any Error).self) { try ControlCommandLine.parse(["--demo", "--proxy-listen", "nonsense"]) }
        #expect(ControlCommandLine.usage.contains("--demo"))
        #expect(ControlCommandLine.usage.contains("--proxy-listen"))
    }
}
