import Dispatch
import Synchronization
import SluiceTestSupport
@testable import SluiceHTTP

/// A handler whose behaviour is picked by the request path:
/// - `/hold`: answers only when the test calls `TestServer.releaseHeld()`;
/// - `/early401`: answers 401 from the head, before any body;
/// - `/pause`: pauses body reading in the head, resumes from the next loop iteration;
/// - `/stream`: answers a chunked response of three chunks;
/// - `/nocontent`: 204;
/// - `/count`: counts body bytes without keeping them, answers `bytes=N`;
/// - `/mb`: a 6 MB body from the head (more than the kernel buffers: most stays in the write queue);
/// - anything else: echoes method, path, body and trailers after the request ended.
final class TestHandler: HTTPServerHandler {
    let events: TestEvents
    let loop: EventLoop
    var body: [UInt8] = []
    var path = ""
    var method = ""
    var held: [HTTPServerConnection] = []
    var heldStreams: [HTTPServerConnection] = []
    /// `/big`: bytes of the streamed response still to write, and how often the queue was full.
    var bigRemaining = 0
    var writableCallbacks = 0
    var signalledPushBack = false
    static let bigSize = 6 * 1024 * 1024
    static let bigChunk = [UInt8]((0..<65536).map { UInt8(truncatingIfNeeded: $0 % 251) })
    static let mbBody = [UInt8](repeating: 0x6D, count: 6 * 1024 * 1024)

    init(loop: EventLoop, events: TestEvents) {
        self.loop = loop
        self.events = events
    }

    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        events.lastConnection.set(connection)
        events.heads.add(1, ordering: .relaxed)
        path = bytes[head.pathRange].string
        if path.hasPrefix("/after") { events.afterHeads.add(1, ordering: .relaxed) }
        method = bytes[head.methodRange].string
        body.removeAll()
        switch path {
        case "/hold":
            held.append(connection)
            events.headReceived.signal()
        case "/early401":
            connection.sendResponse(status: 401, body: "no") { $0.add("WWW-Authenticate", "Bearer") }
        case "/pause":
            connection.pauseReading()
            _ = loop.schedule(after: 1_000_000) { connection.resumeReading() }
        case "/holdstream":
            // Head held in the loop's head buffer; body only on release.
            connection.sendResponseHead(status: 200, contentLength: 8) { $0.add("X-Held", "yes") }
            heldStreams.append(connection)
            events.headReceived.signal()
        case "/flushhead":
            connection.sendResponseHead(status: 200)
            connection.flush()
            heldStreams.append(connection)
            events.headReceived.signal()
        case "/peer":
            connection.sendResponse(status: 200, body: Array((connection.peerAddress?.host ?? "none").utf8))
        case "/close-after":
            connection.closeAfterThisResponse()
        case "/count":
            connection.context = ByteCounter() // per connection: requests on other connections interleave
        case "/nocontent":
            connection.sendResponse(status: 204, body: "ignored")
        case "/mb":
            connection.sendResponse(status: 200, body: Self.mbBody)
        case "/big":
            bigRemaining = Self.bigSize
            connection.sendResponseHead(status: 200, contentLength: Self.bigSize)
            pumpBig(connection)
        case "/slowupload":
            // Read the body in small steps: pause after every delivery, resume on the next tick.
            break
        case "/stream":
            connection.sendResponseHead(status: 200)
            for part in ["one,", "two,", "three"] { _ = connection.writeBody(Array(part.utf8)) }
            connection.endResponse()
        default:
            break
        }
    }

    func requestBody(_ bytes: ByteView, connection: HTTPServerConnection) {
        if let counter = connection.context as? ByteCounter {
            counter.count += bytes.count
            return
        }
        body += bytes.copyBytes()
        if path == "/slowupload" {
            connection.pauseReading()
            _ = loop.schedule(after: 0) { connection.resumeReading() }
        }
    }

    func connectionWritable(_ connection: HTTPServerConnection) {
        writableCallbacks += 1
        if path == "/big" { pumpBig(connection) }
    }

    /// Writes `/big` chunks until the connection pushes back or the body is complete.
    func pumpBig(_ connection: HTTPServerConnection) {
        while bigRemaining > 0 {
            let count = min(bigRemaining, Self.bigChunk.count)
            bigRemaining -= count
            let writable = Self.bigChunk.withUnsafeBytes { connection.writeBody(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if !writable {
                if writableCallbacks == 0 && !signalledPushBack {
                    signalledPushBack = true
                    events.pushedBack.signal()
                }
                return
            }
        }
        connection.endResponse()
        let pushedBack = writableCallbacks > 0
        events.bigFinished.withLock { $0 = pushedBack }
    }

    func requestEnd(trailers: ByteView?, connection: HTTPServerConnection) {
        guard ["/hold", "/early401", "/nocontent", "/mb", "/stream", "/big", "/peer", "/holdstream", "/flushhead"].contains(path) == false else { return }
        if let counter = connection.context as? ByteCounter {
            connection.sendResponse(status: 200, body: Array("bytes=\(counter.count)".utf8))
            return
        }
        let text = path == "/slowupload" ? "\(path) bytes=\(body.count) sum=\(body.reduce(0) { $0 &+ Int($1) })"
            : "\(method) \(path) body=\(String(decoding: body, as: UTF8.self))"
        let trailerText = trailers?.string ?? ""
        connection.sendResponse(status: 200, body: Array(text.utf8)) { fields in
            fields.add("Content-Type", "text/plain")
            if !trailerText.isEmpty { fields.addString("X-Trailers", trailerText.replacingCRLF()) }
        }
        let queued = connection.writeQueue.pendingBytes
        if queued > events.maxQueuedBytes.load(ordering: .relaxed) { events.maxQueuedBytes.store(queued, ordering: .relaxed) }
    }

    func releaseHeld() {
        for connection in held {
            connection.sendResponse(status: 200, body: "released")
        }
        held.removeAll()
        for connection in heldStreams {
            _ = connection.writeBody(Array("released".utf8))
            connection.endResponse()
        }
        heldStreams.removeAll()
    }
}

/// `/count`'s per-connection state.
final class ByteCounter {
    var count = 0
}

extension String {
    func replacingCRLF() -> String {
        String(self.map { $0 == "\r\n" || $0 == "\r" || $0 == "\n" ? "|" : $0 })
    }
}

/// A weak reference readable from the test thread. `@unchecked Sendable`: every access holds `lock`.
final class WeakReference: @unchecked Sendable {
    private let lock = Mutex(())
    private weak var stored: AnyObject?

    func set(_ object: AnyObject) { lock.withLock { _ in stored = object } }
    var object: AnyObject? { lock.withLock { _ in stored } }
}

/// Signals from handlers (on loop threads) to the test thread.
final class TestEvents: Sendable {
    let headReceived = DispatchSemaphore(value: 0)
    let handlers = Mutex<[LoopBound<TestHandler>]>([])
    /// Set when `/big` finished; true if the handler had to wait for `connectionWritable`.
    let bigFinished = Mutex<Bool?>(nil)
    /// The connection of the last request, weakly: nil once nothing retains it any more.
    let lastConnection = WeakReference()
    /// Signalled the first time `/big` finds the connection not writable.
    let pushedBack = DispatchSemaphore(value: 0)
    /// Request heads delivered to handlers, and those whose path starts with `/after`.
    let heads = Atomic<Int>(0)
    let afterHeads = Atomic<Int>(0)
    /// The most bytes an echo response left in its connection's write queue.
    let maxQueuedBytes = Atomic<Int>(0)
}

/// One `HTTPServer` on loopback port 0 with a `TestHandler`, for a test's duration.
final class TestServer {
    let server: HTTPServer
    let port: UInt16
    let events = TestEvents()
    private var stopped = false

    init(workers: Int = 1, configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws {
        var configuration = HTTPServer.Configuration(listenAddress: .loopbackIPv4(port: 0))
        configuration.workers = workers
        configure(&configuration)
        let events = events
        server = try HTTPServer(configuration: configuration) { loop in
            let handler = TestHandler(loop: loop, events: events)
            events.handlers.withLock { $0.append(LoopBound(handler, on: loop)) }
            return handler
        }
        port = try server.start()
    }

    func client() throws -> TestTCPClient { try TestTCPClient(port: port) }

    /// Makes every worker answer its held `/hold` requests.
    func releaseHeld() {
        for inbox in server.group.inboxes {
            let events = events
            inbox.execute { loop in
                for handler in events.handlers.withLock({ $0 }) where handler.isBound(to: loop) {
                    handler.value(on: loop).releaseHeld()
                }
            }
        }
    }

    func stop(deadline: Duration = .seconds(5)) {
        guard !stopped else { return }
        stopped = true
        server.shutdown(deadline: deadline)
        server.wait()
        events.handlers.withLock { $0.removeAll() } // handlers hold `events`: break the cycle
    }

    deinit { stop() }
}
