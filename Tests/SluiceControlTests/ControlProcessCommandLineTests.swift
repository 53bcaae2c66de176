import SluiceHTTP
import Testing
@testable import SluiceControl

@Suite struct ControlProcessCommandLineTests {
    @Test func defaults() throws {
        let request = try ControlCommandLine.parse(["--db", "/tmp/x.db"])
        #expect(request == .run(ControlCommandLine(databasePath: "/tmp/x.db")))
        guard case .run(let commandLine) = request else { return }
        #expect("\(commandLine.listenAddress)" == "127.0.0.1:9901")
    }

    @Test func everyFlagInBothForms() throws {
        let request = try ControlCommandLine.parse(["--db=/d.db", "--listen", "127.0.0.1:0", "--admin-token-file", "/a",
                                                    "--dataplane-token-file=/b", "--workers", "3"])
        guard case .run(let commandLine) = request else {
            Issue.record("not run")
            return
        }
        #expect(commandLine.databasePath == "/d.db")
        #expect(commandLine.listenAddress.port == 0)
        #expect(commandLine.adminTokenFile == "/a")
        #expect(commandLine.dataplaneTokenFile == "/b")
        #expect(commandLine.workers == 3)
    }

    @Test func helpWins() throws {
        #expect(try ControlCommandLine.parse(["--bogus", "-h"]) == .help)
        #expect(ControlCommandLine.usage.contains("listening admin="))
        #expect(ControlCommandLine.usage.contains("admin token: "))
    }

    @Test func errors() {
        #expect(throws: ControlCommandLineError.missingFlag("--db")) { try ControlCommandLine.parse([]) }
        #expect(throws: ControlCommandLineError.unknownFlag("--port")) { try ControlCommandLine.parse(["--port", "1"]) }
        #expect(throws: ControlCommandLineError.missingValue(flag: "--db")) { try ControlCommandLine.parse(["--db"]) }
        #expect(throws: ControlCommandLineError.repeatedFlag("--db")) { try ControlCommandLine.parse(["--db", "a", "--db", "b"]) }
        #expect(throws: ControlCommandLineError.unexpectedArgument("x")) { try ControlCommandLine.parse(["x"]) }
        #expect(throws: ControlCommandLineError.self) { try ControlCommandLine.parse(["--db", "a", "--listen", "localhost:1"]) }
    }

    @Test func tokensFromEnvironmentAndFiles() throws {
        let commandLine = ControlCommandLine(databasePath: "/x")
        let fromEnvironment = try ControlTokens.load(commandLine: commandLine,
                                                     environment: ["SLUICE_ADMIN_TOKEN": " a1 ", "SLUICE_DATAPLANE_TOKEN": "d1"])
        #expect(fromEnvironment.admin == "a1")
        #expect(fromEnvironment.dataplane == "d1")
        let none = try ControlTokens.load(commandLine: commandLine, environment: [:])
        #expect(none.admin == nil && none.dataplane == nil)
        #expect(throws: ControlTokens.LoadError.self) {
            try ControlTokens.load(commandLine: commandLine, environment: ["SLUICE_ADMIN_TOKEN": "same", "SLUICE_DATAPLANE_TOKEN": "same"])
        }
        var withFile = commandLine
        withFile.adminTokenFile = "/nonexistent/token"
        #expect(throws: ControlTokens.LoadError.self) { try ControlTokens.load(commandLine: withFile, environment: [:]) }
    }
}
