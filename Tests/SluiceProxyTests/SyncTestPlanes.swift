import Foundation
import SluiceTestSupport
import Testing

/// A `sluice-control` child for the sync tests: its own SQLite file, fixed tokens, stderr to a
/// file in the test's directory. `restart` starts it again on the same port with the same db.
final class SyncTestControlPlane {
    static let adminToken = "sync-admin-token"
    static let dataplaneToken = "sync-dataplane-token"

    let directory: TemporaryDirectory
    private(set) var child: ChildProcess
    private(set) var port: UInt16

    init(directory: TemporaryDirectory) throws {
        self.directory = directory
        child = try Self.launch(directory: directory, listen: "127.0.0.1:0")
        port = try #require(child.ports["admin"])
    }

    var url: String { "http://127.0.0.1:\(port)" }

    private static func launch(directory: TemporaryDirectory, listen: String) throws -> ChildProcess {
        let child = ChildProcess(executable: "sluice-control", arguments: ["--db", directory.file("control.db"), "--listen", listen])
        child.process.environment = ["SLUICE_ADMIN_TOKEN": adminToken, "SLUICE_DATAPLANE_TOKEN": dataplaneToken]
        _ = FileManager.default.createFile(atPath: directory.file("control.err"), contents: nil)
        child.process.standardError = FileHandle(forWritingAtPath: directory.file("control.err"))
        try child.start()
        return child
    }

    func kill() {
        child.signal(SIGKILL)
        _ = child.waitForExit()
    }

    func restart() throws {
        child = try Self.launch(directory: directory, listen: "127.0.0.1:\(port)")
    }

    /// One admin API call with the admin token; `json` is the request body.
    @discardableResult
    func call(_ method: String, _ path: String, _ json: String? = nil) throws -> TestHTTPResponse {
        let client = try TestTCPClient(port: port)
        defer { client.close() }
        let body = Array((json ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: control\r\nConnection: close\r\nAuthorization: Bearer \(Self.adminToken)\r\n"
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        try client.send(Array((head + "\r\n").utf8) + body)
        return try client.readResponse()
    }

    /// `POST /v1/versions`; returns the new version number.
    func publish(_ comment: String) throws -> Int {
        let response = try call("POST", "/v1/versions", #"{"comment": "\#(comment)"}"#)
        #expect(response.status == 201, "\(response.bodyText)")
        return try #require(try jsonObject(response.body)["version"] as? Int)
    }

    /// The `GET /v1/dataplanes` item for `nodeID`, if listed.
    func dataplane(_ nodeID: String) throws -> [String: Any]? {
        let items = try jsonObject(try call("GET", "/v1/dataplanes").body)["items"] as? [[String: Any]] ?? []
        return items.first { $0["node_id"] as? String == nodeID }
    }
}

/// A `sluice-proxy --control-plane` child (1 worker, admin listener), stderr to a file.
final class SyncTestDataPlane {
    let child: ChildProcess
    let nodeID: String

    init(controlPlane: SyncTestControlPlane, nodeID: String, cacheDirectory: String?,
         token: String = SyncTestControlPlane.dataplaneToken) throws {
        let directory = controlPlane.directory
        let tokenFile = directory.file("dataplane-\(nodeID).token")
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
        var arguments = ["--control-plane", controlPlane.url, "--dataplane-token-file", tokenFile, "--node-id", nodeID,
                         "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--workers", "1"]
        if let cacheDirectory { arguments += ["--cache-dir", cacheDirectory] }
        child = ChildProcess(executable: "sluice-proxy", arguments: arguments)
        child.process.environment = [:]
        let log = directory.file("dataplane-\(nodeID).err")
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = FileHandle(forWritingAtPath: log)
        _ = try handle?.seekToEnd()
        child.process.standardError = handle
        self.nodeID = nodeID
        try child.start()
    }

    var proxyPort: UInt16 { get throws { try #require(child.ports["proxy"]) } }
    var adminPort: UInt16 { get throws { try #require(child.ports["admin"]) } }

    func get(_ path: String, port: UInt16) throws -> TestHTTPResponse {
        let client = try TestTCPClient(port: port)
        defer { client.close() }
        try client.send("GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        return try client.readResponse()
    }

    func status() throws -> [String: Any] { try jsonObject(try get("/status", port: try adminPort).body) }

    /// Polls `GET path` on the proxy (every 5 ms) until the body is `body` with status 200 or
    /// `timeoutSeconds` pass; returns the seconds it took, nil on timeout.
    func waitForBody(_ body: String, path: String = "/", timeoutSeconds: Double = 10) throws -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < timeoutSeconds {
            let response = try get(path, port: try proxyPort)
            if response.status == 200 && response.bodyText == body { return Date().timeIntervalSince(start) }
            usleep(5_000)
        }
        return nil
    }

    /// Polls `/status` until `condition` holds or `timeoutSeconds` pass; returns the last one.
    func waitForStatus(timeoutSeconds: Double = 10, until condition: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var current = try status()
        while !condition(current) && Date() < deadline {
            usleep(10_000)
            current = try status()
        }
        return current
    }

    func stop() -> Int32 {
        child.signal(SIGTERM)
        return child.waitForExit()
    }
}

/// Polls `probe` until it returns non-nil or `timeoutSeconds` pass.
func waitFor<Value>(timeoutSeconds: Double = 10, _ probe: () throws -> Value?) rethrows -> Value? {
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while true {
        if let value = try probe() { return value }
        if Date() >= deadline { return nil }
        usleep(10_000)
    }
}
