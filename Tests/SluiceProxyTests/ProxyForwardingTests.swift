import Dispatch
import Testing
import SluiceConfig
import SluiceHTTP
import SluiceTestSupport
@testable import SluiceProxy

@Suite struct ProxyForwardingTests {
    @Test func stripPrefixKeepsTheQueryByteForByte() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url, route: RouteConfig(
            name: "users", pathPrefix: "/api/users", stripPrefix: true, upstream: "up")))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /api/users/42?b=%20x&a=1&a=2 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "u GET /42?b=%20x&a=1&a=2 0")
        try client.send("GET /api/users?x=%2F HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "u GET /?x=%2F 0")
        try client.send("GET /api/users HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "u GET / 0")
        try client.send("GET /api/usersx HTTP/1.1\r\nHost: h\r\n\r\n")
        let notFound = try client.readResponse()
        #expect(notFound.status == 404)
    }

    @Test func notFoundAndMethodNotAllowedAreJSONWithTheRequestID() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url, route: RouteConfig(
            name: "r", pathPrefix: "/api", methods: ["GET", "POST"], upstream: "up")))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /nothing HTTP/1.1\r\nHost: h\r\nX-Request-Id: req-404\r\n\r\n")
        let notFound = try client.readResponse()
        #expect(notFound.status == 404)
        #expect(notFound.bodyText == #"{"error":"no route","request_id":"req-404"}"#)
        #expect(notFound.header("x-request-id") == "req-404")
        #expect(notFound.header("content-type") == "application/json")
        #expect(notFound.header("connection") != "close")

        // Same connection: a 404 or 405 about a well-framed request does not cost the client its connection.
        try client.send("DELETE /api/x HTTP/1.1\r\nHost: h\r\nX-Request-Id: req-405\r\n\r\n")
        let notAllowed = try client.readResponse()
        #expect(notAllowed.status == 405)
        #expect(notAllowed.header("allow") == "GET, POST")
        #expect(notAllowed.bodyText == #"{"error":"method not allowed","request_id":"req-405"}"#)
        #expect(upstream.log.all.isEmpty)
    }

    @Test func requestHeadersAreRewritten() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("POST /submit?q=1 HTTP/1.1\r\nHost: api.example.com:8080\r\nConnection: keep-alive, X-Hop\r\n"
            + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\n"
            + "Trailer: X-T\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\nX-Request-Id: abc.DEF_1-2\r\n"
            + "Authorization: Bearer t\r\nX-Custom: a\r\nx-custom: b\r\nContent-Length: 5\r\n\r\nhello")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "u POST /submit?q=1 5")
        #expect(response.header("x-request-id") == "abc.DEF_1-2")
        let record = try #require(upstream.log.all.first)
        let head = record.head
        #expect(head.hasPrefix("POST /submit?q=1 HTTP/1.1\r\n"))
        #expect(head.contains("\r\nHost: api.example.com:8080\r\n"))
        #expect(head.contains("\r\nX-Forwarded-For: 10.0.0.1, 127.0.0.1\r\n"))
        #expect(head.contains("\r\nX-Forwarded-Proto: http\r\n"))
        #expect(head.contains("\r\nX-Forwarded-Host: api.example.com:8080\r\n"))
        #expect(head.contains("\r\nX-Request-Id: abc.DEF_1-2\r\n"))
        #expect(head.contains("\r\nAuthorization: Bearer t\r\n"))
        #expect(head.contains("\r\nX-Custom: a\r\nx-custom: b\r\n"))
        #expect(head.contains("\r\nContent-Length: 5\r\n"))
        for dropped in ["Connection:", "X-Hop:", "Keep-Alive:", "TE:", "Proxy-Connection:", "Trailer:", "https"] {
            #expect(!head.contains(dropped), "\(dropped) was forwarded")
        }
        #expect(record.body == Array("hello".utf8))
    }

    @Test func requestIDIsGeneratedWhenMissingOrInvalidAndEchoed() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        let first = try client.readResponse()
        try client.send("GET /b HTTP/1.1\r\nHost: h\r\nX-Request-Id: bad id!\r\n\r\n")
        let second = try client.readResponse()
        let firstID = try #require(first.header("x-request-id"))
        let secondID = try #require(second.header("x-request-id"))
        for id in [firstID, secondID] {
            #expect(id.utf8.count == 16)
            #expect(id.allSatisfy { $0.isHexDigit })
        }
        #expect(firstID != secondID)
        let heads = upstream.log.all.map(\.head)
        #expect(heads.count == 2)
        #expect(heads.first?.contains("X-Request-Id: \(firstID)\r\n") == true)
        #expect(heads.last?.contains("X-Request-Id: \(secondID)\r\n") == true)
        #expect(heads.last?.contains("bad id") == false)
        #expect(heads.first?.contains("X-Forwarded-For: 127.0.0.1\r\n") == true)
    }

    @Test func responseHopByHopFieldsAreRemoved() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /hop HTTP/1.1\r\nHost: h\r\nX-Request-Id: r1\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.bodyText == "hop")
        #expect(response.header("x-kept") == "yes")
        #expect(response.header("x-up-hop") == nil)
        #expect(response.header("keep-alive") == nil)
        #expect(response.header("connection") == nil)
        #expect(response.headers.filter { $0.name.lowercased() == "date" }.count == 1)
        #expect(response.header("x-request-id") == "r1")
    }

    @Test func absoluteFormTargetUsesItsAuthorityAsHost() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url, route: RouteConfig(
            name: "r", hosts: ["b.test"], upstream: "up")))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET http://b.test:81/p?q HTTP/1.1\r\nHost: a.test\r\n\r\n")
        #expect(try client.readResponse().bodyText == "u GET /p?q 0")
        let head = try #require(upstream.log.all.first?.head)
        #expect(head.contains("\r\nHost: b.test:81\r\n"))
        #expect(!head.contains("a.test"))
    }

    /// Weights 5, 1, 1 through real requests: the upstreams answer in nginx's order.
    @Test func weightedRoundRobinThroughRealRequests() throws {
        let upstreams = try ["a", "b", "c"].map { try TestUpstream(name: $0) }
        defer { upstreams.forEach { $0.stop() } }
        let snapshot = Snapshot(version: 1, upstreams: [UpstreamConfig(name: "up", targets: [
            TargetConfig(url: upstreams[0].url, weight: 5), TargetConfig(url: upstreams[1].url, weight: 1),
            TargetConfig(url: upstreams[2].url, weight: 1)])], routes: [RouteConfig(name: "all", upstream: "up")])
        let proxy = try TestProxy(snapshot)
        defer { proxy.stop() }
        let client = try proxy.client()
        var order = ""
        for _ in 0..<14 {
            try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            order += String(try client.readResponse().bodyText.prefix(1))
        }
        #expect(order == "aabacaa" + "aabacaa")
    }

    /// A new config with the same upstream continues the rotation; the new route table applies at once.
    @Test func configSwapKeepsBalancingStateAndAppliesNewRoutes() throws {
        let upstreams = try ["a", "b"].map { try TestUpstream(name: $0) }
        defer { upstreams.forEach { $0.stop() } }
        func snapshot(_ version: Int, prefix: String) -> Snapshot {
            Snapshot(version: version, upstreams: [UpstreamConfig(name: "up", targets: [
                TargetConfig(url: upstreams[0].url), TargetConfig(url: upstreams[1].url)])],
                routes: [RouteConfig(name: "r", pathPrefix: prefix, upstream: "up")])
        }
        let proxy = try TestProxy(snapshot(1, prefix: "/v1"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /v1 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText.hasPrefix("a "))
        proxy.store.publish(try ConfigCompiler.compile(snapshot(2, prefix: "/v2")))
        try client.send("GET /v2 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText.hasPrefix("b "))
        try client.send("GET /v1 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().status == 404)
    }

    @Test func headAnd204CarryNoBody() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n")
        let head = try client.readResponse(bodyless: true)
        #expect(head.status == 200)
        #expect(head.header("content-length") == "\("u HEAD /x 0".utf8.count)")
        // The connection is still in sync: the next response is read correctly.
        try client.send("GET /y HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "u GET /y 0")
    }
}

/// Config swaps and upstream connections: a target the new config dropped is drained.
@Suite struct ProxyConfigSwapTests {
    @Test func aSwapClosesPooledConnectionsToRemovedTargets() throws {
        let closedByProxy = DispatchSemaphore(value: 0)
        let old = try ScriptedUpstreamServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nold")
            // Kept alive and pooled by the proxy until a config without this target arrives.
            if connection.waitForEOF() { closedByProxy.signal() }
        }
        defer { old.stop() }
        let new = try TestUpstream(name: "new")
        defer { new.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(old.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "old")

        proxy.store.publish(try ConfigCompiler.compile(Snapshots.single(new.url)))
        try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText.hasPrefix("new "))
        #expect(closedByProxy.wait(timeout: .now() + 10) == .success)
        #expect(old.acceptedConnections == 1)
    }

    /// A request in flight to a target the swap removed finishes on its connection, which then
    /// closes instead of going back to the pool.
    @Test func aConnectionBusyDuringTheSwapClosesWhenItsExchangeEnds() throws {
        let received = DispatchSemaphore(value: 0)
        let answer = DispatchSemaphore(value: 0)
        let closedByProxy = DispatchSemaphore(value: 0)
        let old = try ScriptedUpstreamServer { connection in
            guard connection.readRequest() != nil else { return }
            received.signal()
            answer.wait()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nold")
            if connection.waitForEOF() { closedByProxy.signal() }
        }
        defer { old.stop() }
        let new = try TestUpstream(name: "new")
        defer { new.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(old.port)"))
        defer { proxy.stop() }
        let first = try proxy.client()
        try first.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(received.wait(timeout: .now() + 10) == .success)
        proxy.store.publish(try ConfigCompiler.compile(Snapshots.single(new.url)))
        let second = try proxy.client()
        try second.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try second.readResponse().bodyText.hasPrefix("new "))
        answer.signal()
        #expect(try first.readResponse().bodyText == "old")
        #expect(closedByProxy.wait(timeout: .now() + 5) == .success)
    }
}
