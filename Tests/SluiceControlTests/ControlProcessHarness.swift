import Foundation
import SluiceTestSupport

/// A `sluice-control` child process for command-line tests (a `ChildProcess`): stdout lines are
/// collected until the listening line (or end of output), stderr is captured whole after exit.
/// With `--demo` (`DemoProcessHarness`) it runs in a given working directory, so `./data/` lands
/// there. The child is killed in `deinit` if still running.
final class ControlProcessHarness {
    let child: ChildProcess
    private let errors = Pipe()

    /// `environment` replaces the child's whole environment (so no SLUICE_* leaks in from the test run).
    init(arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil) {
        child = ChildProcess(executable: "sluice-control", arguments: arguments)
        child.process.environment = environment
        if let workingDirectory { child.process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        child.process.standardError = errors
    }

    var process: Process { child.process }
    /// Stdout lines before (and including) the listening line, or all of them if it exited first.
    var lines: [String] { child.outputLines }
    /// `admin`, `proxy`, `proxy_admin`, `demo_upstream` → `HOST:PORT` (or `off`).
    var listeners: [String: String] { child.listeners }
    /// The admin listener's port.
    var port: UInt16? { child.ports["admin"] }

    /// The port of listener `name` (`admin`, `proxy`, ...), if it has one.
    func port(_ name: String) -> UInt16? { child.ports[name] }

    /// The admin token line's token, if this start printed one.
    var adminToken: String? {
        lines.first { $0.hasPrefix("admin token: ") }.map { String($0.dropFirst("admin token: ".count)) }
    }

    /// Launches the child and reads stdout until its listening line (returns true) or the end of
    /// its output (returns false: it exited).
    @discardableResult
    func start() throws -> Bool {
        do {
            try child.start(timeoutSeconds: 120)
            return true
        } catch where child.exitedBeforeListening {
            return false
        }
    }

    func signal(_ number: Int32) { child.signal(number) }

    /// Waits for exit; returns the status and everything written to stderr.
    func waitForExit() -> (status: Int32, standardError: String) {
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (child.waitForExit(), text)
    }
}

/// `sluice-control --demo` in a working directory of its own.
typealias DemoProcessHarness = ControlProcessHarness

extension ControlProcessHarness {
    convenience init(workingDirectory: String, arguments: [String], environment: [String: String] = [:]) {
        self.init(arguments: ["--demo"] + arguments, environment: environment, workingDirectory: workingDirectory)
    }
}
