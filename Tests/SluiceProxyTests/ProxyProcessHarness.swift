import Foundation
import SluiceHTTP
import SluiceTestSupport
import Testing

/// The built `sluice-proxy` binary, next to the test bundle (found the way `ChildProcess` finds it).
var proxyExecutable: URL {
    ChildProcess(executable: "sluice-proxy", arguments: []).process.executableURL
        ?? URL(fileURLWithPath: ".build/debug/sluice-proxy")
}

/// What a `sluice-proxy` run that ends by itself printed, and its exit status.
struct FinishedProxyRun {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `sluice-proxy` with `arguments` until it exits (killed after `timeoutSeconds`).
func runProxyToExit(_ arguments: [String], timeoutSeconds: Double = 20) throws -> FinishedProxyRun {
    let process = Process()
    process.executableURL = proxyExecutable
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read both pipes to their end (the child exits, closing them) before waiting: no deadlock on
    // a full pipe, and the deadline below kills a child that never exits.
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    let killer = Thread {
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    killer.start()
    let outputBytes = output.fileHandleForReading.readDataToEndOfFile()
    let errorBytes = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return FinishedProxyRun(status: process.terminationStatus,
                            standardOutput: String(decoding: outputBytes, as: UTF8.self),
                            standardError: String(decoding: errorBytes, as: UTF8.self))
}

/// A snapshot file the test rewrites between reloads (written to a temporary name and renamed,
/// so the proxy never reads half a file).
struct SnapshotFile {
    let directory: TemporaryDirectory
    var path: String { directory.file("snapshot.json") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "sluice-proxyrt")
    }

    func write(_ json: String) throws {
        let temporary = directory.file("snapshot.json.tmp")
        try Data(json.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw TestClientError("rename: errno \(errno)") }
    }

    /// A valid snapshot: one upstream `backend` (target `http://127.0.0.1:PORT`), one route `/`
    /// to it, and an optional second route (prefix `extraPrefix`).
    static func valid(version: Int, upstreamPort: UInt16 = 9, extraPrefix: String? = nil) -> String {
        var routes = #"{"name": "all", "path_prefix": "/", "upstream": "backend"}"#
        if let extraPrefix {
            routes += #", {"name": "extra", "path_prefix": "\#(extraPrefix)", "upstream": "backend"}"#
        }
        return """
            {"format": 1, "version": \(version),
             "upstreams": [{"name": "backend", "targets": [{"url": "http://127.0.0.1:\(upstreamPort)"}]}],
             "routes": [\(routes)]}
            """
    }

    /// Decodes, but a route names an upstream that does not exist (pointer `/routes/0/upstream`).
    static func unknownUpstream(version: Int) -> String {
        """
        {"format": 1, "version": \(version),
         "upstreams": [{"name": "backend", "targets": [{"url": "http://127.0.0.1:9"}]}],
         "routes": [{"name": "all", "path_prefix": "/", "upstream": "missing"}]}
        """
    }

    func remove() { directory.remove() }
}

/// A running `sluice-proxy` child (1 worker) with an admin listener, its stderr captured.
final class RunningProxy {
    let child: ChildProcess
    private let errors = Pipe()

    init(configPath: String, admin: Bool = true, extraArguments: [String] = []) throws {
        var arguments = ["--config", configPath, "--listen", "127.0.0.1:0", "--workers", "1"]
        if admin { arguments += ["--admin-listen", "127.0.0.1:0"] }
        child = ChildProcess(executable: "sluice-proxy", arguments: arguments + extraArguments)
        child.process.standardError = errors
        try child.start()
    }

    var proxyPort: UInt16 { get throws { try #require(child.ports["proxy"]) } }
    var adminPort: UInt16 { get throws { try #require(child.ports["admin"]) } }

    /// One request on a fresh connection (`Connection: close`).
    func request(_ method: String = "GET", _ path: String, port: UInt16) throws -> TestHTTPResponse {
        let client = try TestTCPClient(port: port)
        try client.send("\(method) \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        return try client.readResponse(bodyless: method == "HEAD")
    }

    func admin(_ path: String, method: String = "GET") throws -> TestHTTPResponse {
        try request(method, path, port: try adminPort)
    }

    /// `GET path` on the admin listener, body parsed as a JSON object.
    func adminJSON(_ path: String) throws -> [String: Any] {
        try jsonObject(try admin(path).body)
    }

    /// Polls `/status` (every 10 ms) until `condition` holds or `timeoutSeconds` pass; returns the
    /// last status either way (the caller's expectations then fail with what was seen).
    func waitForStatus(timeoutSeconds: Double = 10, until condition: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var status = try adminJSON("/status")
        while !condition(status) && Date() < deadline {
            usleep(10_000)
            status = try adminJSON("/status")
        }
        return status
    }

    func signal(_ number: Int32) { child.signal(number) }

    /// SIGTERM, then the exit status and everything the child wrote to stderr.
    func stop(signal number: Int32 = SIGTERM) -> (status: Int32, standardError: String) {
        child.signal(number)
        let status = child.waitForExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (status, text)
    }
}

func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

/// Every line of a process's stderr parsed as one JSON object (the structured event log); throws
/// on a line that is not one, or that lacks `time`, `level`, `program`, `event` or `message`.
func eventLines(_ standardError: String) throws -> [[String: Any]] {
    try standardError.split(separator: "\n").map { line in
        let object = try jsonObject(Array(line.utf8))
        for key in ["time", "level", "program", "event", "message"] {
            guard object[key] is String else { throw TestClientError("event line without \(key): \(line)") }
        }
        guard let time = object["time"] as? String,
              time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil else {
            throw TestClientError("event time is not RFC 3339 with milliseconds: \(line)")
        }
        return object
    }
}

/// `2026-11-23T15:18:45Z`.
func isRFC3339UTC(_ value: Any?) -> Bool {
    guard let text = value as? String else { return false }
    return text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil
}

/// An in-process upstream (the engine's `HTTPServer`, 1 loop) answering every request 200 with
/// its name as the body, so a test can tell which upstream a proxied request reached.
final class NamedUpstream {
    let server: HTTPServer
    let port: UInt16

    init(name: String) throws {
        let body = Array(name.utf8)
        var configuration = HTTPServer.Configuration(listenAddress: try SocketAddress(parsing: "127.0.0.1:0"))
        configuration.workers = 1
        server = try HTTPServer(configuration: configuration) { _ in NamedUpstreamHandler(body: body) }
        port = try server.start()
    }

    func stop() {
        server.shutdown(deadline: .milliseconds(100))
        server.wait()
    }
}

final class NamedUpstreamHandler: HTTPServerHandler {
    let body: [UInt8]

    init(body: [UInt8]) {
        self.body = body
    }

    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        connection.sendResponse(status: 200, body: body) { fields in fields.add("Content-Type", "text/plain") }
    }
}
