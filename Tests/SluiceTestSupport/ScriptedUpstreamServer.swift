import Foundation
import Glibc
import Synchronization

/// A raw TCP server on 127.0.0.1 (port 0, read back) for client tests: it answers each accepted
/// connection by running a script on a thread of its own, with blocking sockets, so a test can send
/// exactly the bytes it wants (malformed, split, closed mid-body, never answered) and count the
/// connections the client opened. Call `stop()` when done: the accept thread keeps the server
/// alive until then.
///
/// This file is the C-facing edge of the test support: it calls Glibc socket functions directly
/// (safe: every descriptor is owned by one `ScriptedConnection` or the server and closed once).
public final class ScriptedUpstreamServer: Sendable {
    /// What to do with one accepted connection. Runs on that connection's own thread; the
    /// connection is closed when it returns (unless it already closed it).
    public typealias Script = @Sendable (ScriptedConnection) -> Void

    public let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())
    private let acceptLoopDone = DispatchSemaphore(value: 0)
    /// Every script thread is in it until its connection is closed.
    private let scripts = DispatchGroup()

    private struct State {
        var accepted = 0
        var live: [Int: ScriptedConnection] = [:]
        var stopped = false
    }

    /// Starts listening and accepting. Throws `ScriptedSocketError` if the socket cannot be set up.
    public init(script: @escaping Script) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ScriptedSocketError(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        do {
            port = try ScriptedSocket.bindLoopback(fd, backlog: 128)
        } catch {
            Glibc.close(fd)
            throw error
        }
        listener = fd
        let thread = Thread { [self] in acceptLoop(script: script) }
        thread.name = "scripted-upstream-accept"
        thread.start()
    }

    /// Connections accepted so far.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    /// Stops accepting, unblocks and waits for every script (up to 10 s), so every accepted
    /// descriptor is closed when it returns. Idempotent.
    public func stop() {
        let live: [ScriptedConnection]? = state.withLock { state in
            if state.stopped { return nil }
            state.stopped = true
            return Array(state.live.values)
        }
        guard let live else { return }
        // shutdown wakes the blocking accept with EINVAL; the accept thread closes the listener.
        shutdown(listener, Int32(SHUT_RDWR))
        acceptLoopDone.wait()
        Glibc.close(listener)
        for connection in live { connection.abort() }
        _ = scripts.wait(timeout: .now() + 10)
    }

    private func acceptLoop(script: @escaping Script) {
        defer { acceptLoopDone.signal() }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let connection = ScriptedConnection(fd: fd)
            let index: Int? = state.withLock { state in
                if state.stopped { return nil }
                state.accepted += 1
                state.live[state.accepted] = connection
                return state.accepted
            }
            guard let index else {
                connection.close()
                return
            }
            scripts.enter()
            let thread = Thread { [self] in
                defer { scripts.leave() }
                script(connection)
                connection.close()
                _ = state.withLock { $0.live.removeValue(forKey: index) }
            }
            thread.name = "scripted-upstream-\(index)"
            thread.start()
        }
    }
}
