/// One fixed read buffer per event loop, shared by all of its connections (nginx style): a socket is
/// read into it, the bytes are processed in place, and only an unprocessed remainder (a partial
/// head, pipelined bytes) is copied into the connection. An idle connection therefore holds no
/// read buffer. Thread affinity: owned by one loop; `isBusy` guards re-entrant use by a second
/// connection while the first is still processing its bytes.
/// The memory is allocated once and freed in `deinit`; pointers to it are handed out only for the
/// duration of `read(from:_:)`'s closure.
public final class SharedReadBuffer {
    private let storage: UnsafeMutableRawBufferPointer
    /// True while some connection is processing bytes that live in this buffer.
    public private(set) var isBusy = false

    public init(capacity: Int = 64 * 1024) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    public var capacity: Int { storage.count }

    /// Reads once from `socket` and, if bytes arrived, calls `body` with them (valid only during the call).
    /// Returns the read result (`.processed(0)` is end of stream; `body` is not called then).
    @inline(__always)
    public func read(from socket: Socket, _ body: (UnsafeRawBufferPointer) -> Void) throws(SystemError) -> IOResult<Int> {
        precondition(!isBusy, "SharedReadBuffer used re-entrantly")
        let result = try socket.read(into: storage)
        if case .processed(let count) = result, count > 0 {
            isBusy = true
            body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
            isBusy = false
        }
        return result
    }
}
