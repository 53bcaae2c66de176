import Glibc

/// A loopback listener that never accepts and whose accept queue is already full, so the kernel
/// drops every further SYN: a connect to `port` hangs until the client's own timeout. This makes
/// connect-timeout tests deterministic without a black-holed external address.
///
/// C-facing edge of the test support: owns the listening socket and the connection that fills the
/// queue, closes both in `close()`.
public final class ScriptedFullBacklogListener {
    public let port: UInt16
    private let listener: Int32
    private var fillers: [Int32] = []

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ScriptedSocketError(call: "socket", errno: errno) }
        do {
            // Backlog 0: Linux queues one completed connection, then drops SYNs (acceptq full).
            port = try ScriptedSocket.bindLoopback(fd, backlog: 0)
        } catch {
            Glibc.close(fd)
            throw error
        }
        listener = fd
        do {
            fillers.append(try ScriptedSocket.connectLoopback(port: port))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    public func close() {
        for fd in fillers { Glibc.close(fd) }
        fillers = []
        Glibc.close(listener)
    }
}
