import Dispatch
import Testing
import SluiceTestSupport
@testable import SluiceHTTP

extension EngineSuite {
    @Suite struct HTTPServerTests {
        @Test func manyRequestsOnOneKeepAliveConnection() throws {
            let server = try TestServer()
            let client = try server.client()
            for index in 0..<200 {
                try client.send("GET /item\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "GET /item\(index) body=")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Server") == "sluice")
                #expect(response.header("Date")?.count == 29)
            }
        }

        @Test func pipelinedRequestsAreAnsweredInOrder() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "GET /a body=")
            #expect(try client.readResponse().bodyText == "POST /b body=xyz")
            #expect(try client.readResponse().bodyText == "GET /c body=")
        }

        @Test func pipelinedRequestsBehindAHeldResponseWait() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            server.events.headReceived.wait()
            server.releaseHeld()
            #expect(try client.readResponse().bodyText == "released")
            #expect(try client.readResponse().bodyText == "GET /after body=")
        }

        @Test func http10WithoutKeepAliveIsClosedAfterTheResponse() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }

        @Test func http10KeepAliveIsEchoedAndHonoured() throws {
            let server = try TestServer()
            let client = try server.client()
            for path in ["/one", "/two"] {
                try client.send("GET \(path) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.bodyText == "GET \(path) body=")
                #expect(response.header("Connection") == "keep-alive")
            }
        }

        @Test func peerAddressIsTheClientsLoopbackAddress() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /peer HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "127.0.0.1")
        }

        @Test func halfClosedClientGetsItsResponseAndThenTheClose() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().bodyText == "GET /half body=")
            #expect(client.waitForClose())
        }

        @Test func handlerCanMakeAResponseTheLast() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /last HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.bodyText == "GET /last body=")
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }

        @Test func connectionCloseIsHonoured() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }

        @Test func headAnd204HaveNoBody() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "13") // the length of "HEAD /x body="
            try client.send("GET /nocontent HTTP/1.1\r\nHost: x\r\n\r\n")
            let empty = try client.readResponse()
            #expect(empty.status == 204)
            #expect(empty.header("Content-Length") == nil)
            // Nothing stray on the wire: the next response starts right away.
            try client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "GET /next body=")
        }

        @Test func streamedResponseIsChunked() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.bodyText == "one,two,three")
            try client.send("GET /stream HTTP/1.0\r\n\r\n")
            let old = try client.readResponse()
            #expect(old.header("Transfer-Encoding") == nil)
            #expect(old.bodyText == "one,two,three") // close-delimited
        }

        @Test func heldStreamedHeadSurvivesAnotherResponseUsingTheHeadBuffer() throws {
            let server = try TestServer()
            let streaming = try server.client()
            try streaming.send("GET /holdstream HTTP/1.1\r\nHost: x\r\n\r\n")
            server.events.headReceived.wait()
            // Another connection's response needs the loop's head buffer meanwhile.
            let other = try server.client()
            try other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().bodyText == "GET /other body=")
            server.releaseHeld()
            let response = try streaming.readResponse()
            #expect(response.header("X-Held") == "yes")
            #expect(response.bodyText == "released")
        }

        @Test func flushSendsAHeldHeadBeforeTheBody() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("GET /flushhead HTTP/1.1\r\nHost: x\r\n\r\n")
            server.events.headReceived.wait()
            // The head arrives although no body byte was written yet.
            let head = try client.read(until: "\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(head.contains("Transfer-Encoding: chunked"))
            server.releaseHeld()
            #expect(try client.read(until: "0\r\n\r\n") == "8\r\nreleased\r\n0\r\n\r\n")
        }

        @Test func continueIsSentBeforeTheBody() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            // The client must see the interim response before it sends anything more.
            #expect(try client.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
            try client.send("hello")
            let response = try client.readResponse()
            #expect(response.bodyText == "POST /upload body=hello")
        }

        @Test func continueIsDelayedUntilAPausedHandlerResumes() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("POST /pause HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
            try client.send("ok")
            #expect(try client.readResponse().bodyText == "POST /pause body=ok")
        }

        @Test func earlyAnswerSkipsContinueAndClosesWithTheBodyUnread() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("POST /early401 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }

        @Test func chunkedUploadIsDecodedWithTrailers() throws {
            let server = try TestServer()
            let client = try server.client()
            try client.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            try client.send("7;ext=1\r\n, world\r\n0\r\nX-Checksum: abc\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.bodyText == "POST /up body=hello, world")
            #expect(response.header("X-Trailers")?.hasPrefix("X-Checksum: abc") == true)
            // The connection stays usable.
            try client.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "GET /again body=")
        }

        @Test func headAndBodySplitAtEveryByte() throws {
            let server = try TestServer()
            let client = try server.client()
            let request = Array("POST /split HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd".utf8)
            for byte in request { try client.send([byte]) }
            #expect(try client.readResponse().bodyText == "POST /split body=abcd")
        }
    
        @Test func largeStreamedResponseRespectsWriteBackpressure() throws {
            let server = try TestServer()
            let client = try TestTCPClient(port: server.port, receiveBufferSize: 16 * 1024)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            // Not reading yet: 6 MiB exceed the largest send buffer (4 MiB) plus a 16 KiB window,
            // so the handler must see `writeBody` report the queue full.
            #expect(server.events.pushedBack.wait(timeout: .now() + 10) == .success)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body.count == TestHandler.bigSize)
            let chunk = TestHandler.bigChunk
            let intact = stride(from: 0, to: response.body.count, by: chunk.count).allSatisfy { start in
                response.body[start..<min(start + chunk.count, response.body.count)].elementsEqual(chunk.prefix(response.body.count - start))
            }
            #expect(intact)
            // ...and was resumed by `connectionWritable`.
            #expect(server.events.bigFinished.withLock { $0 } == true)
            try client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "GET /after body=")
        }

        @Test func largeUploadWithPausedReadingArrivesWhole() throws {
            let server = try TestServer { $0.maxRequestBodyBytes = 2 << 20 }
            let client = try server.client()
            let body = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try client.send("POST /slowupload HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            let sum = body.reduce(0) { $0 &+ Int($1) }
            #expect(response.bodyText == "/slowupload bytes=\(body.count) sum=\(sum)")
        }
    }
}
