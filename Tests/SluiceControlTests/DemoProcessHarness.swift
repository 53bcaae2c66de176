import Foundation
import SluiceTestSupport

/// A `sluice-control --demo` child process started in a given working directory (so `./data/`
/// lands there). Stdout is read up to the listening line, whose `key=value` pairs are kept in
/// `listeners`; stderr is captured whole after exit. Killed in `deinit` if still running.
final class DemoProcessHarness {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    /// Stdout lines up to and including the listening line.
    private(set) var lines: [String] = []
    /// `admin`, `proxy`, `proxy_admin`, `demo_upstream` → `HOST:PORT` (or `off`).
    private(set) var listeners: [String: String] = [:]

    init(workingDirectory: String, arguments: [String], environment: [String: String] = [:]) {
        process.executableURL = ControlProcessHarness.executable
        process.arguments = ["--demo"] + arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.standardOutput = output
        process.standardError = errors
    }

    /// Launches the child and reads stdout until the listening line (true) or end of output (false).
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
            if text.hasPrefix("listening ") {
                for pair in text.dropFirst("listening ".count).split(separator: " ") {
                    guard let equals = pair.firstIndex(of: "=") else { continue }
                    listeners[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
                }
                return true
            }
        }
    }

    /// The port of listener `name` (`admin`, `proxy`, ...), if it has one.
    func port(_ name: String) -> UInt16? {
        guard let address = listeners[name], let colon = address.lastIndex(of: ":") else { return nil }
        return UInt16(address[address.index(after: colon)...])
    }

    /// The admin token line's token, if this start printed one.
    var adminToken: String? {
        lines.first { $0.hasPrefix("admin token: ") }.map { String($0.dropFirst("admin token: ".count)) }
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
