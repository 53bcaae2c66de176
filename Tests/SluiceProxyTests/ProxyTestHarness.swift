import Dispatch
import Glibc
import Synchronization
import SluiceConfig
import SluiceHTTP
import SluiceTestSupport
@testable import SluiceProxy

/// What a `TestUpstream` saw of one request.
struct UpstreamRequestRecord: Sendable {
    var head: String
    var bodyCount = 0
    /// The body, kept only up to 1 MiB.
    var body: [UInt8] = []
}

/// The state a `TestUpstream`'s handler shares with the test thread.
final class TestUpstreamLog: Sendable {
    let records = Mutex<[UpstreamRequestRecord]>([])
    /// Signalled each time a `/download` response finds the connection's write queue full.
    let downloadBlocked = DispatchSemaphore(value: 0)
    var all: [UpstreamRequestRecord] { records.withLock { $0 } }
}

/// An upstream written with the engine's `HTTPServer` (one loop). Behaviour by the path it receives:
/// - `/download/<n>`: streams `n` bytes with `Content-Length`, with backpressure;
/// - `/chunked`: answers a chunked body `one,two,three`;
/// - `/ratelimited`: answers with its own `RateLimit-Policy` and `RateLimit` fields;
/// - `/hop`: answers with hop-by-hop fields (`Connection: X-Up-Hop`, `X-Up-Hop`, `Keep-Alive`) and `X-Kept`;
/// - anything else: answers `<name> <method> <target> <bodyCount>` after the whole body arrived.
final class TestUpstreamHandler: HTTPServerHandler {
    let name: String
    let log: TestUpstreamLog
    var current: UpstreamRequestRecord?
    var target = ""
    var method = ""
    var downloadRemaining = 0
    static let pattern = [UInt8]((0..<65536).map { UInt8(truncatingIfNeeded: $0 % 251) })

    init(name: String, log: TestUpstreamLog) {
        self.name = name
        self.log = log
    }

    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        connection.maxRequestBodyBytes = 1 << 40
        current = UpstreamRequestRecord(head: bytes.string)
        target = bytes[head.targetRange].string
        method = bytes[head.methodRange].string
        if target.hasPrefix("/download/"), let size = Int(target.dropFirst("/download/".count)) {
            downloadRemaining = size
            connection.sendResponseHead(status: 200, contentLength: size)
            pump(connection)
        }
    }

    func requestBody(_ bytes: ByteView, connection: HTTPServerConnection) {
        current?.bodyCount += bytes.count
        if let count = current?.body.count, count + bytes.count <= 1 << 20 { current?.body += bytes.copyBytes() }
    }

    func requestEnd(trailers: ByteView?, connection: HTTPServerConnection) {
        if let current { log.records.withLock { $0.append(current) } }
        let count = current?.bodyCount ?? 0
        current = nil
        if target.hasPrefix("/download/") { return }
        switch target {
        case "/chunked":
            connection.sendResponseHead(status: 200)
            for part in ["one,", "two,", "three"] { _ = connection.writeBody(Array(part.utf8)) }
            connection.endResponse()
        case "/ratelimited":
            connection.sendResponse(status: 200, body: "rl") { fields in
                fields.add("RateLimit-Policy", "\"upstream\";q=5;w=60")
                fields.add("RateLimit", "\"upstream\";r=0;t=60")
            }
        case "/hop":
            connection.sendResponse(status: 200, body: "hop") { fields in
                fields.add("Connection", "X-Up-Hop")
                fields.add("X-Up-Hop", "1")
                fields.add("Keep-Alive", "timeout=5")
                fields.add("X-Kept", "yes")
            }
        default:
            connection.sendResponse(status: 200, body: Array("\(name) \(method) \(target) \(count)".utf8))
        }
    }

    func connectionWritable(_ connection: HTTPServerConnection) {
        if downloadRemaining > 0 { pump(connection) }
    }

    func pump(_ connection: HTTPServerConnection) {
        while downloadRemaining > 0 {
            let count = min(downloadRemaining, Self.pattern.count)
            downloadRemaining -= count
            let writable = Self.pattern.withUnsafeBytes { connection.writeBody(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if downloadRemaining == 0 {
                connection.endResponse()
                return
            }
            if !writable {
                log.downloadBlocked.signal()
                return
            }
        }
    }
}

/// A `TestUpstreamHandler` server on 127.0.0.1, port 0.
final class TestUpstream: Sendable {
    let server: HTTPServer
    let port: UInt16
    let log = TestUpstreamLog()

    init(name: String) throws {
        var configuration = HTTPServer.Configuration(listenAddress: .loopbackIPv4(port: 0))
        configuration.workers = 1
        let log = self.log
        server = try HTTPServer(configuration: configuration) { _ in TestUpstreamHandler(name: name, log: log) }
        port = try server.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        server.shutdown(deadline: .milliseconds(200))
        server.wait()
    }
}

/// The proxy under test: an `HTTPServer` with one `ProxyHandler` loop, on 127.0.0.1, port 0.
final class TestProxy: Sendable {
    let server: HTTPServer
    let port: UInt16
    let store: ConfigStore
    private let handlers = TestUpstreamHandlers()

    init(_ snapshot: Snapshot, maxRequestBodyBytes: Int = 1 << 20, workers: Int = 1,
         runtime: PolicyRuntime = PolicyRuntime(rateLimitKeys: 4096)) throws {
        store = ConfigStore(try ConfigCompiler.compile(snapshot))
        var configuration = HTTPServer.Configuration(listenAddress: .loopbackIPv4(port: 0))
        configuration.workers = workers
        configuration.maxRequestBodyBytes = maxRequestBodyBytes
        let store = self.store
        let handlers = self.handlers
        server = try HTTPServer(configuration: configuration) { loop in
            let handler = ProxyHandler(loop: loop, store: store, runtime: runtime)
            handlers.list.withLock { $0.append(LoopBound(handler, on: loop)) }
            return handler
        }
        port = try server.start()
    }

    /// Closes the proxy's idle upstream connections, then shuts it down.
    func stop() {
        let bound = handlers.list.withLock { $0 }
        let done = DispatchSemaphoreBox()
        for inbox in server.group.inboxes {
            inbox.execute { loop in
                for handler in bound where handler.isBound(to: loop) { handler.value(on: loop).closeIdleConnections() }
                done.signal()
            }
            done.wait()
        }
        server.shutdown(deadline: .milliseconds(200))
        server.wait()
    }

    func client(timeoutSeconds: Int = 5) throws -> TestTCPClient {
        try TestTCPClient(port: port, timeoutSeconds: timeoutSeconds)
    }
}

/// The proxy's handlers, one per loop, for calls on their loops.
final class TestUpstreamHandlers: Sendable {
    let list = Mutex<[LoopBound<ProxyHandler>]>([])
}

/// A semaphore usable from `@Sendable` closures.
final class DispatchSemaphoreBox: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func signal() { semaphore.signal() }
    func wait() { _ = semaphore.wait(timeout: .now() + 5) }
}

/// Snapshot shorthands.
enum Snapshots {
    static func single(_ url: String, route: RouteConfig = RouteConfig(name: "all", upstream: "up")) -> Snapshot {
        Snapshot(version: 1, upstreams: [UpstreamConfig(name: "up", targets: [TargetConfig(url: url)])], routes: [route])
    }
}

/// Resident set size of this process in bytes, from /proc/self/statm.
enum ResidentMemory {
    static func bytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0
        var resident = 0
        guard fscanf_statm(file, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_statm(_ file: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int) -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let parts = text.split(separator: " ")
        guard parts.count >= 2, let first = Int(parts[0]), let second = Int(parts[1]) else { return false }
        size = first
        resident = second
        return true
    }
}
