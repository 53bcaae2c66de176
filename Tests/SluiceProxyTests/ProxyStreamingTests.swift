import Dispatch
import Glibc
import Synchronization
import Testing
import SluiceConfig
import SluiceHTTP
import SluiceTestSupport
@testable import SluiceProxy

@Suite struct ProxyStreamingTests {
    @Test func chunkedUploadIsReChunkedUpstream() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;ext=1\r\nabc\r\n0A\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.bodyText == "u POST /up 13")
        let record = try #require(upstream.log.all.first)
        #expect(record.head.contains("\r\nTransfer-Encoding: chunked\r\n"))
        #expect(!record.head.contains("Content-Length"))
        #expect(record.body == Array("abc0123456789".utf8))
        // The connection stays usable.
        try client.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "u GET /again 0")
    }

    @Test func chunkedDownloadIsReChunkedToTheClient() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("transfer-encoding") == "chunked")
        #expect(response.header("content-length") == nil)
        #expect(response.bodyText == "one,two,three")
    }

    @Test func closeDelimitedUpstreamBodyIsChunkedToTheClient() throws {
        let scripted = try ScriptedUpstreamServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nConnection: close\r\nX-Up: 1\r\n\r\nuntil-close body")
            connection.close()
        }
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("transfer-encoding") == "chunked")
        #expect(response.header("x-up") == "1")
        #expect(response.bodyText == "until-close body")
        // Keep-alive towards the client is unaffected by the upstream's close.
        try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().bodyText == "until-close body")
    }

    static let bigSize = 64 << 20
    static let rssLimit = 32 << 20

    /// 64 MiB up through the proxy; the peak RSS growth while streaming stays far below the body size.
    @Test func largeUploadStreamsWithBoundedMemory() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url, route: RouteConfig(
            name: "all", upstream: "up", maxBodyBytes: 1 << 30)))
        defer { proxy.stop() }
        let client = try proxy.client(timeoutSeconds: 30)
        let baseline = ResidentMemory.bytes()
        var peak = baseline
        try client.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: \(Self.bigSize)\r\n\r\n")
        let piece = [UInt8](repeating: 0x61, count: 1 << 20)
        for _ in 0..<(Self.bigSize / piece.count) {
            try client.send(piece)
            peak = max(peak, ResidentMemory.bytes())
        }
        let response = try client.readResponse()
        #expect(response.bodyText == "u PUT /upload \(Self.bigSize)")
        #expect(peak - baseline < Self.rssLimit, "RSS grew by \((peak - baseline) >> 20) MiB")
    }

    /// 64 MiB down through the proxy, read slowly in pieces; memory stays bounded (backpressure).
    @Test func largeDownloadStreamsWithBoundedMemory() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client(timeoutSeconds: 30)
        let baseline = ResidentMemory.bytes()
        var peak = baseline
        try client.send("GET /download/\(Self.bigSize) HTTP/1.1\r\nHost: h\r\n\r\n")
        let head = try TestHTTPResponse(head: client.read(until: "\r\n\r\n"))
        #expect(head.header("content-length") == "\(Self.bigSize)")
        var received = client.buffered.count
        var mismatch = false
        var position = 0
        // Samples one byte in 4,096 (a full check is slow in debug builds); offsets catch reordering.
        func check(_ bytes: UnsafeRawBufferPointer) {
            var index = (4096 - position % 4096) % 4096
            while index < bytes.count {
                let offset = position + index
                if bytes[index] != UInt8(truncatingIfNeeded: (offset % 65536) % 251) { mismatch = true }
                index += 4096
            }
            position += bytes.count
        }
        client.buffered.withUnsafeBytes { check($0) }
        var scratch = [UInt8](repeating: 0, count: 256 * 1024)
        while received < Self.bigSize {
            let count = scratch.withUnsafeMutableBytes { recv(client.descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                if count < 0, errno == EINTR { continue }
                break
            }
            received += count
            scratch.withUnsafeBytes { check(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            peak = max(peak, ResidentMemory.bytes())
        }
        #expect(received == Self.bigSize)
        #expect(!mismatch)
        #expect(peak - baseline < Self.rssLimit, "RSS grew by \((peak - baseline) >> 20) MiB")
    }
}

extension ProxyStreamingTests {
    /// The client reads nothing of a 64 MiB download: the proxy stops reading the upstream, so the
    /// upstream's own write queue fills up (with a buffering proxy it never would on loopback).
    @Test func downloadBackpressureReachesTheUpstream() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let baseline = ResidentMemory.bytes()
        let client = try proxy.client(timeoutSeconds: 30)
        try client.send("GET /download/\(Self.bigSize) HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(upstream.log.downloadBlocked.wait(timeout: .now() + 20) == .success)
        #expect(ResidentMemory.bytes() - baseline < Self.rssLimit)
        client.close()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        var batch = ""
        for index in 0..<20 { batch += "GET /p\(index) HTTP/1.1\r\nHost: h\r\n\r\n" }
        batch += "POST /last HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        try client.send(batch)
        for index in 0..<20 {
            #expect(try client.readResponse().bodyText == "u GET /p\(index) 0")
        }
        #expect(try client.readResponse().bodyText == "u POST /last 3")
    }

    @Test func expectContinueIsAnsweredByTheProxy() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("PUT /c HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(try client.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
        try client.send("data")
        #expect(try client.readResponse().bodyText == "u PUT /c 4")
        #expect(upstream.log.all.first?.head.contains("Expect") == false)
    }

    @Test func earlyHintsAreRelayedBeforeTheFinalResponse() throws {
        let scripted = try ScriptedUpstreamServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nConnection: X-Hint-Hop\r\n"
                + "X-Hint-Hop: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            _ = connection.waitForEOF()
        }
        defer { scripted.stop() }
        let proxy = try TestProxy(Snapshots.single("http://127.0.0.1:\(scripted.port)"))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        let hints = try client.readResponse()
        #expect(hints.status == 103)
        #expect(hints.header("link") == "</a.css>; rel=preload")
        #expect(hints.header("x-hint-hop") == nil)
        let final = try client.readResponse()
        #expect(final.status == 200)
        #expect(final.bodyText == "ok")
    }

    @Test func http10ClientGetsADefaultHostUpstreamAndACloseDelimitedBody() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url))
        defer { proxy.stop() }
        let client = try proxy.client()
        try client.send("GET /chunked HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("transfer-encoding") == nil)
        #expect(response.bodyText == "one,two,three")
        let head = try #require(upstream.log.all.first?.head)
        #expect(head.hasPrefix("GET /chunked HTTP/1.1\r\n"))
        #expect(head.contains("\r\nHost: 127.0.0.1:\(upstream.port)\r\n"))
    }

    /// Two workers, each with its own pools and balancers, under concurrent clients.
    @Test func twoWorkersServeConcurrentClients() throws {
        let upstream = try TestUpstream(name: "u")
        defer { upstream.stop() }
        let proxy = try TestProxy(Snapshots.single(upstream.url), workers: 2)
        defer { proxy.stop() }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let client = try proxy.client()
                for index in 0..<25 {
                    try client.send("GET /w\(worker)/\(index) HTTP/1.1\r\nHost: h\r\n\r\n")
                    if try client.readResponse().bodyText != "u GET /w\(worker)/\(index) 0" { failures.withLock { $0 += 1 } }
                }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(upstream.log.all.count == 200)
    }
}
