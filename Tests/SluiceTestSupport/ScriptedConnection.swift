import Glibc
import Synchronization

/// One accepted connection of a `ScriptedUpstreamServer`, with blocking reads and writes.
/// Used by one script thread; `abort()` may be called from another thread to unblock it.
///
/// C-facing edge of the test support (Glibc calls on a descriptor this object owns and closes once).
public final class ScriptedConnection: Sendable {
    private let fd: Int32
    private let state = Mutex(State())

    private struct State {
        var closed = false
        var buffered: [UInt8] = []
    }

    init(fd: Int32) {
        self.fd = fd
    }

    /// Reads one request (head up to CRLFCRLF plus a Content-Length body). Returns nil at EOF or on
    /// error before a complete request arrived.
    public func readRequest() -> [UInt8]? {
        var buffer = state.withLock { state in
            let bytes = state.buffered
            state.buffered = []
            return bytes
        }
        while true {
            if let headEnd = Self.headEnd(buffer) {
                let bodyLength = Self.contentLength(buffer[..<headEnd])
                let total = headEnd + bodyLength
                if buffer.count >= total {
                    let rest = Array(buffer[total...])
                    state.withLock { $0.buffered = rest }
                    return Array(buffer[..<total])
                }
            }
            guard let chunk = readSome() else { return nil }
            buffer += chunk
        }
    }

    /// Reads one request head (up to CRLFCRLF) and leaves any body unread. Returns nil at EOF.
    public func readHead() -> [UInt8]? {
        var buffer: [UInt8] = []
        while true {
            if let headEnd = Self.headEnd(buffer) {
                let rest = Array(buffer[headEnd...])
                state.withLock { $0.buffered = rest }
                return Array(buffer[..<headEnd])
            }
            // One byte at a time: nothing past the head is taken from the socket.
            var byte: UInt8 = 0
            let count = read(fd, &byte, 1)
            if count == 1 {
                buffer.append(byte)
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return nil
            }
        }
    }

    /// Reads until the peer closes (returns true) or an error occurs (false).
    public func waitForEOF() -> Bool {
        while true {
            var scratch = [UInt8](repeating: 0, count: 4096)
            let count = scratch.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return true }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
        }
    }

    /// Writes all bytes (blocking). Returns false if the peer went away.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    @discardableResult
    public func write(_ text: String) -> Bool {
        write(Array(text.utf8))
    }

    /// Sends a TCP RST instead of a FIN when closing (SO_LINGER 0), then closes.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    /// Closes the connection (FIN). Idempotent.
    public func close() {
        let shouldClose = state.withLock { state in
            if state.closed { return false }
            state.closed = true
            return true
        }
        if shouldClose { Glibc.close(fd) }
    }

    /// Unblocks a script blocked in a read or write (used when the server stops); the script's
    /// own `close()` then releases the descriptor.
    func abort() {
        let open = state.withLock { !$0.closed }
        if open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func readSome() -> [UInt8]? {
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = scratch.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { return Array(scratch[..<count]) }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }

    private static func headEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 3..<buffer.count where buffer[index] == 10 && buffer[index - 1] == 13
            && buffer[index - 2] == 10 && buffer[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        for line in text.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            return Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}
