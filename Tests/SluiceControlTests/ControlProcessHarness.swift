import Foundation
import SluiceTestSupport

/// A `sluice-control` child process for command-line tests: stdout lines are collected until the
/// listening line (or end of output), stderr is captured whole after exit. The child is killed in
/// `deinit` if still running.
final class ControlProcessHarness {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    /// Stdout lines before (and including) the listening line.
    private(set) var lines: [String] = []
    private(set) var port: UInt16?

    /// `environment` replaces the child's whole environment (so no SLUICE_* leaks in from the test run).
    init(arguments: [String], environment: [String: String] = [:]) {
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = errors
    }

    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("sluice-control")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/sluice-control")
    }

    /// Launches the child and reads stdout until its listening line (returns true) or the end of
    /// its output (returns false: it exited).
    @discardableResult
    func start() throws -> Bool {
        try process.run()
        let handle = output.fileHandleForReading
        var line: [UInt8] = []
        while true {
            let byte = try handle.read(upToCount: 1) ?? Data()
            if byte.isEmpty { return false }
            if byte[0] != UInt8(ascii: "\n") {
                line.append(byte[0])
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            lines.append(text)
            line.removeAll()
            if text.hasPrefix("listening admin=") {
                if let colon = text.lastIndex(of: ":") { port = UInt16(text[text.index(after: colon)...]) }
                return true
            }
        }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for exit; returns the status and everything written to stderr.
    func waitForExit() -> (status: Int32, standardError: String) {
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
