import Dispatch
import Foundation
import SluiceTestSupport
import Testing

/// SIGTERM drains: the listeners close at once, an in-flight proxied request still completes,
/// then the process exits 0.
@Suite struct ProxyProcessDrainTests {
    @Test func sigtermLetsTheInFlightRequestFinishThenExitsZero() throws {
        let requestArrived = DispatchSemaphore(value: 0)
        let mayAnswer = DispatchSemaphore(value: 0)
        let upstream = try ScriptedUpstreamServer { connection in
            guard connection.readRequest() != nil else { return }
            requestArrived.signal()
            mayAnswer.wait()
            _ = connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nlate!")
        }
        defer { upstream.stop() }
        let file = try SnapshotFile()
        defer { file.remove() }
        try file.write(SnapshotFile.valid(version: 1, upstreamPort: upstream.port))
        let proxy = try RunningProxy(configPath: file.path)
        let proxyPort = try proxy.proxyPort

        let client = try TestTCPClient(port: proxyPort)
        try client.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(requestArrived.wait(timeout: .now() + 10) == .success)
        proxy.signal(SIGTERM)
        // Draining: the listening socket goes away (polled with a deadline, no sleep as sync).
        let deadline = Date().addingTimeInterval(10)
        var refused = false
        while !refused && Date() < deadline {
            do {
                let probe = try TestTCPClient(port: proxyPort)
                probe.close()
                usleep(5_000)
            } catch {
                refused = true
            }
        }
        #expect(refused, "the proxy stopped accepting after SIGTERM")
        mayAnswer.signal()
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "late!")
        #expect(response.header("Connection")?.lowercased() == "close")
        #expect(client.waitForClose())
        client.close()  // else the server lingers (lingerTimeout) for our end of the connection
        #expect(proxy.stop(signal: 0).status == 0)
    }
}
