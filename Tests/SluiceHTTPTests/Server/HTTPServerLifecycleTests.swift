import Glibc
import Testing
import SluiceTestSupport
@testable import SluiceHTTP

extension EngineSuite {
    @Suite struct HTTPServerLifecycleTests {
        @Test func shutdownClosesIdleConnectionsAndFinishesInFlightRequests() throws {
            let server = try TestServer()
            let idle = try server.client()
            try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try idle.readResponse()
            let busy = try server.client()
            try busy.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            server.events.headReceived.wait()
            server.server.shutdown(deadline: .seconds(5))
            // The idle keep-alive connection is closed at once.
            #expect(idle.waitForClose())
            // New connections are refused (the listener is closed)...
            var refused = false
            for _ in 0..<100 where !refused {
                do { _ = try TestTCPClient(port: server.port, timeoutSeconds: 1) } catch { refused = true }
            }
            #expect(refused)
            // ...and the request in flight still gets its answer, with Connection: close.
            server.releaseHeld()
            let response = try busy.readResponse()
            #expect(response.bodyText == "released")
            #expect(response.header("Connection") == "close")
            #expect(busy.waitForClose())
            busy.close()
            server.stop()
        }

        @Test func drainDeadlineCutsOffRequestsThatNeverFinish() throws {
            let server = try TestServer()
            let busy = try server.client()
            try busy.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            server.events.headReceived.wait()
            server.stop(deadline: .milliseconds(100))
            #expect(busy.waitForClose())
        }

        @Test func startStopCycleLeaksNoDescriptors() throws {
            let before = FileDescriptorCounter.openCount()
            do {
                let server = try TestServer(workers: 2)
                for _ in 0..<3 {
                    let client = try server.client()
                    try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    _ = try client.readResponse()
                }
                let open = try server.client()
                try open.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try open.readResponse()
                server.stop()
                open.close()
            }
            #expect(FileDescriptorCounter.openCount() == before)
            if FileDescriptorCounter.openCount() != before { _ = system("ls -l /proc/\(getpid())/fd >&2") }
        }

        @Test func sharedExclusiveListenerServesAndDrains() throws {
            let before = FileDescriptorCounter.openCount()
            do {
                let server = try TestServer(workers: 2) { $0.sharedListener = true }
                var clients: [TestTCPClient] = []
                for index in 0..<8 {
                    let client = try server.client()
                    try client.send("GET /shared\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                    #expect(try client.readResponse().bodyText == "GET /shared\(index) body=")
                    clients.append(client)
                }
                server.stop()
                for client in clients { #expect(client.waitForClose()) }
                // The single listening socket is closed once both workers let go of it.
                #expect(throws: TestClientError.self) { try TestTCPClient(port: server.port, timeoutSeconds: 1) }
            }
            #expect(FileDescriptorCounter.openCount() == before)
        }

        @Test func closedConnectionsAreDeallocated() throws {
            let server = try TestServer()
            for path in ["/stream", "/big", "/plain"] {
                let client = try server.client()
                try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                _ = try client.readResponse()
                #expect(client.waitForClose())
            }
            server.stop()
            // Loops joined: no timer, registration, worker list or handler may still hold a connection.
            #expect(server.events.lastConnection.object == nil)
        }

        @Test func helloServerServesAndExitsCleanlyOnSIGTERM() throws {
            let child = ChildProcess(executable: "sluice-hello", arguments: ["--listen", "127.0.0.1:0", "--workers", "2"])
            try child.start()
            #expect(child.listeningLine.hasPrefix("listening http=127.0.0.1:"))
            let port = try #require(child.ports["http"])
            let client = try TestTCPClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello world\n")
            #expect(response.header("Content-Type") == "text/plain")
            child.signal(SIGTERM)
            #expect(client.waitForClose())
            #expect(child.waitForExit() == 0)
        }
    }
}
