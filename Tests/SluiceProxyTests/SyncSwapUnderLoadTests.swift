import Foundation
import SluiceTestSupport
import Synchronization
import Testing

/// Publishes while a client keeps sending: no request fails across the swaps, and every answer
/// comes from one of the two upstreams the published versions point at.
@Suite struct SyncSwapUnderLoadTests {
    /// A client thread sending `GET /` on fresh connections until stopped.
    final class LoadClient: Sendable {
        struct Tally: Sendable {
            var answers: [String: Int] = [:]
            var failures: [String] = []
            var total: Int { answers.values.reduce(0, +) + failures.count }
        }

        private let tally = Mutex(Tally())
        private let stopping = Atomic<Bool>(false)
        private let finished = DispatchSemaphore(value: 0)

        init(port: UInt16) {
            let thread = Thread { [self] in
                while !stopping.load(ordering: .relaxed) {
                    do {
                        let client = try TestTCPClient(port: port)
                        try client.send("GET / HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n")
                        let response = try client.readResponse()
                        client.close()
                        tally.withLock { tally in
                            if response.status == 200 {
                                tally.answers[response.bodyText, default: 0] += 1
                            } else {
                                tally.failures.append("HTTP \(response.status) \(response.bodyText)")
                            }
                        }
                    } catch {
                        tally.withLock { $0.failures.append("\(error)") }
                    }
                }
                finished.signal()
            }
            thread.start()
        }

        var current: Tally { tally.withLock { $0 } }

        func stop() -> Tally {
            stopping.store(true, ordering: .relaxed)
            finished.wait()
            return current
        }
    }

    @Test func fiftyPublishesUnderLoadFailNoRequest() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-syncload")
        defer { directory.remove() }
        let left = try NamedUpstream(name: "left")
        defer { left.stop() }
        let right = try NamedUpstream(name: "right")
        defer { right.stop() }
        let control = try SyncTestControlPlane(directory: directory)
        defer { control.kill() }
        let upstream = { (port: UInt16) in #"{"name": "u", "targets": [{"url": "http://127.0.0.1:\#(port)"}]}"# }
        #expect(try control.call("POST", "/v1/upstreams", upstream(left.port)).status == 201)
        #expect(try control.call("POST", "/v1/routes", #"{"name": "r", "path_prefix": "/", "upstream": "u"}"#).status == 201)
        _ = try control.publish("start")
        let data = try SyncTestDataPlane(controlPlane: control, nodeID: "load", cacheDirectory: nil)
        #expect(try data.waitForBody("left") != nil)

        let client = LoadClient(port: try data.proxyPort)
        var publishes = 0
        var index = 0
        // At least 50 publishes and 2,000 requests (whichever comes last), bounded by a deadline.
        let deadline = Date().addingTimeInterval(60)
        while (publishes < 50 || client.current.total < 2_000) && Date() < deadline {
            index += 1
            let port = index % 2 == 0 ? left.port : right.port
            #expect(try control.call("PUT", "/v1/upstreams/u", upstream(port)).status == 200)
            let version = try control.publish("swap \(index)")
            let applied = try data.waitForStatus { $0["version"] as? Int == version }
            #expect(applied["version"] as? Int == version)
            publishes += 1
        }
        let tally = client.stop()
        #expect(publishes >= 50)
        #expect(tally.total >= 2_000)
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(5))")
        #expect(Set(tally.answers.keys).isSubset(of: ["left", "right"]))
        #expect(data.stop() == 0)
    }
}
