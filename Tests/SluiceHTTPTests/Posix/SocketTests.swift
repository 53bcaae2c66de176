import Testing
import SluiceTestSupport
@testable import SluiceHTTP

extension EngineSuite {
    @Suite struct SocketTests {
        @Test func portZeroIsReadBackAndSecondListenerSharesIt() throws {
            let first = try Socket.listening(at: .loopbackIPv4(port: 0))
            defer { first.close() }
            let port = try first.localAddress().port
            #expect(port != 0)
            let second = try Socket.listening(at: .loopbackIPv4(port: port))
            defer { second.close() }
            #expect(try second.localAddress().port == port)
        }

        @Test func readReportsWouldBlockThenDataThenEndOfStream() throws {
            let (client, server) = try makeLoopbackPair()
            defer { client.close(); server.close() }
            var buffer = [UInt8](repeating: 0, count: 16)
            let empty = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
            #expect(empty == .wouldBlock)
            _ = try Array("hi".utf8).withUnsafeBytes { try client.write($0) }
            var result = IOResult<Int>.wouldBlock
            while result == .wouldBlock { result = try buffer.withUnsafeMutableBytes { try server.read(into: $0) } }
            #expect(result == .processed(2))
            client.shutdown(.write)
            result = .wouldBlock
            while result == .wouldBlock { result = try buffer.withUnsafeMutableBytes { try server.read(into: $0) } }
            #expect(result == .processed(0))
        }

        @Test func closedSocketDescriptorIsReleased() throws {
            let before = FileDescriptorCounter.openCount()
            let (client, server) = try makeLoopbackPair()
            #expect(FileDescriptorCounter.openCount() == before + 2)
            client.close()
            server.close()
            #expect(FileDescriptorCounter.openCount() == before)
        }

        @Test func connectToClosedPortFailsWithConnectionRefused() throws {
            let listener = try Socket.listening(at: .loopbackIPv4(port: 0), reusePort: false)
            let address = try listener.localAddress()
            listener.close()
            let socket = try Socket.makeTCP(.ipv4)
            defer { socket.close() }
            do {
                if try !socket.connect(to: address) {
                    // In progress: the error arrives through SO_ERROR once the socket is writable.
                    var error: Int32 = 0
                    for _ in 0..<1_000_000 where error == 0 { error = try socket.pendingError() }
                    #expect(error != 0)
                }
            } catch {
                #expect(error.call.description == "connect")
            }
        }
    }
}
