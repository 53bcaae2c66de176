import Synchronization
import Testing
import SluiceConfig
import SluiceHTTP
import SluiceTestSupport
@testable import SluiceProxy

@Suite struct ProxyFailureTests {
    /// A port nothing listens on: a scripted server's, after it stopped.
    static func closedPort() throws -> UInt16 {
        let server = try ScriptedUpstreamServer { _ in }
        let port = server.port
        server.stop()
        return port
    }

    @Test func refusedConnectionIs502() throws {
        let port = try Self.closedPort()
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-502\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 502)
        #expect(response.bodyText == #"{"error":"upstream failed","request_id":"r-502"}"#)
        #expect(response.header("x-request-id") == "r-502")
        // The request itself was well framed: the client's connection stays usable.
        #expect(response.header("connection") != "close")
        try client.send("GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-502b\r\n\r\n")
        #expect(try client.readResponse().bodyText == #"{"error":"upstream failed","request_id":"r-502b"}"#)
    }

    @Test func resetBeforeTheResponseHeadIs502() throws {
        let scripted = try ScriptedUpstreamServer { connection in
            _ = connection.readRequest()
            connection.reset()
        }
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        // POST: not retried, so the reset reaches the client as 502.
        try client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi")
        #expect(try client.readResponse().status == 502)
    }

    @Test func responseHeadTimeoutIs504() throws {
        let scripted = try ScriptedUpstreamServer { connection in
            _ = connection.readRequest()
            _ = connection.waitForEOF() // never answers; returns when the proxy gives up
        }
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)", route: RouteConfig(
            name: "all", upstream: "up", timeoutMilliseconds: 150)))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /slow HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-504\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 504)
        #expect(response.bodyText == #"{"error":"upstream timeout","request_id":"r-504"}"#)
    }

    @Test func upstreamCloseMidBodyClosesTheClientConnection() throws {
        let scripted = try ScriptedUpstreamServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            connection.close()
        }
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        let head = try TestHTTPResponse(head: client.read(until: "\r\n\r\n"))
        #expect(head.status == 200)
        #expect(head.header("content-length") == "100")
        let rest = try client.readToEnd()
        #expect(rest.count < 100) // closed: the client can tell the response is incomplete
    }

    /// Body over the route's limit: 413 from the head, the upstream never sees the request.
    @Test func bodyOverTheRouteLimitIs413() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url, route: RouteConfig(
            name: "all", upstream: "up", maxBodyBytes: 10)))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.bodyText.contains(#""request_id":""#))
        // Chunked: the limit is found mid-body.
        let chunked = try proxy.client()
        try chunked.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n")
        #expect(try chunked.readResponse().status == 413)
        #expect(upstream.log.all.isEmpty)
    }

    /// Numbers the connections a scripted upstream accepts.
    final class ConnectionNumbers: Sendable {
        private let next = Mutex(0)
        func take() -> Int { next.withLock { $0 += 1; return $0 } }
    }

    /// The first upstream connection answers once, then dies without a byte when the next request
    /// arrives on it (the stale keep-alive race); every later connection answers normally.
    static func staleFirstConnectionUpstream() throws -> ScriptedUpstreamServer {
        let numbers = ConnectionNumbers()
        return try ScriptedUpstreamServer { connection in
            let number = numbers.take()
            if number == 1 {
                guard connection.readRequest() != nil else { return }
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
                _ = connection.readRequest()
                connection.reset()
                return
            }
            while connection.readRequest() != nil {
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh")
            }
        }
    }

    @Test func idempotentRequestOnAStaleConnectionIsRetriedOnceOnAFreshOne() throws {
        let scripted = try Self.staleFirstConnectionUpstream()
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "first")
        try client.send("GET /two HTTP/1.1\r\nHost: h\r\n\r\n")
        let retried = try client.readResponse()
        #expect(retried.status == 200)
        #expect(retried.bodyText == "fresh")
        #expect(scripted.acceptedConnections == 2)
    }

    @Test func postOnAStaleConnectionIsNotRetried() throws {
        let scripted = try Self.staleFirstConnectionUpstream()
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "first")
        try client.send("POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
        #expect(try client.readResponse().status == 502)
        #expect(scripted.acceptedConnections == 1)
    }
}
