import Foundation

/// One of our executables run as a child process for a test. `start` waits for its first stdout
/// line starting with `listening ` (the readiness line every Sluice binary prints) and parses its
/// `name=value` pairs. The child is killed (SIGKILL) in `deinit` if still running.
public final class ChildProcess {
    public let process = Process()
    private let output = Pipe()
    /// The `listening ...` line, e.g. `listening http=127.0.0.1:41234`.
    public private(set) var listeningLine = ""
    /// Every stdout line read by `start`: those before the listening line and the line itself, or,
    /// when the child exited first, all it printed (e.g. `--help`).
    public private(set) var outputLines: [String] = []
    /// From the listening line: `http` → `127.0.0.1:41234` (or `off`).
    public private(set) var listeners: [String: String] = [:]
    /// `start` found the end of the child's output before a listening line.
    public private(set) var exitedBeforeListening = false

    /// From the listening line: `http` → port (listeners with a `HOST:PORT` value).
    public var ports: [String: UInt16] {
        listeners.compactMapValues { address in
            address.lastIndex(of: ":").flatMap { UInt16(address[address.index(after: $0)...]) }
        }
    }

    /// `executable` is a product name (`sluice-hello`) looked up in the build directory of the test binary.
    public init(executable: String, arguments: [String]) {
        process.executableURL = Self.builtProduct(executable)
        process.arguments = arguments
        process.standardOutput = output
    }

    /// Launches the child and waits (up to `timeoutSeconds`) for its listening line.
    public func start(timeoutSeconds: Double = 20) throws {
        try process.run()
        let handle = output.fileHandleForReading
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let byte = try handle.read(upToCount: 1) ?? Data()
            if byte.isEmpty {
                exitedBeforeListening = true
                throw TestClientError("child exited before printing its listening line")
            }
            if byte[0] == UInt8(ascii: "\n") {
                let text = String(decoding: line, as: UTF8.self)
                outputLines.append(text)
                if text.hasPrefix("listening ") {
                    listeningLine = text
                    for pair in text.dropFirst("listening ".count).split(separator: " ") {
                        let parts = pair.split(separator: "=", maxSplits: 1)
                        guard parts.count == 2 else { continue }
                        listeners[String(parts[0])] = String(parts[1])
                    }
                    return
                }
                line.removeAll()
            } else {
                line.append(byte[0])
            }
        }
        throw TestClientError("no listening line within \(timeoutSeconds) s")
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the child to exit and returns its exit status.
    public func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The directory holding the test bundle also holds the built executables.
    public static func builtProduct(_ name: String) -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)")
    }
}
