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
/// - anything else: echoes method, path, body and trailers after the request ended.
final class TestHandler: HTTPServerHandler {
    let events: TestEvents
    let loop: EventLoop
    var body: [UInt8] = []
    var path = ""
    var method = ""
    var held: [HTTPServerConnection] = []

    init(loop: EventLoop, events: TestEvents) {
        self.loop = loop
        self.events = events
    }

    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        path = bytes[head.pathRange].string
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
        case "/nocontent":
            connection.sendResponse(status: 204, body: "ignored")
        case "/stream":
            connection.sendResponseHead(status: 200)
            for part in ["one,", "two,", "three"] { _ = connection.writeBody(Array(part.utf8)) }
            connection.endResponse()
        default:
            break
        }
    }

    func requestBody(_ bytes: ByteView, connection: HTTPServerConnection) {
        body += bytes.copyBytes()
    }

    func requestEnd(trailers: ByteView?, connection: HTTPServerConnection) {
        guard ["/hold", "/early401", "/nocontent", "/stream"].contains(path) == false else { return }
        let text = "\(method) \(path) body=\(String(decoding: body, as: UTF8.self))"
        let trailerText = trailers?.string ?? ""
        connection.sendResponse(status: 200, body: Array(text.utf8)) { fields in
            fields.add("Content-Type", "text/plain")
            if !trailerText.isEmpty { fields.addString("X-Trailers", trailerText.replacingCRLF()) }
        }
    }

    func releaseHeld() {
        for connection in held {
            connection.sendResponse(status: 200, body: "released")
        }
        held.removeAll()
    }
}

extension String {
    func replacingCRLF() -> String {
        String(self.map { $0 == "\r\n" || $0 == "\r" || $0 == "\n" ? "|" : $0 })
    }
}

/// Signals from handlers (on loop threads) to the test thread.
final class TestEvents: Sendable {
    let headReceived = DispatchSemaphore(value: 0)
    let handlers = Mutex<[LoopBound<TestHandler>]>([])
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
