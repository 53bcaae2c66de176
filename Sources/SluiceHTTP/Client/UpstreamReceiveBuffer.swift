/// The receive buffer of one upstream connection: one fixed allocation, read into by `read(from:)`,
/// consumed from the front as the response is parsed and delivered.
///
/// Buffer type (raw memory on purpose): `unread` is handed to the parser, the chunked decoder and
/// the response handler without copying. Safe because the memory is owned here, allocated once and
/// freed in `deinit`, and `unread` is only valid until the next `read(from:)` or `compact()`, which
/// the owning connection never calls while a handler callback holding it is running.
/// Thread affinity: the owning connection's loop.
final class UpstreamReceiveBuffer {
    private let storage: UnsafeMutableRawBufferPointer
    private var readerIndex = 0
    private var writerIndex = 0

    init(capacity: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 1024), alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    var capacity: Int { storage.count }

    /// Bytes received and not yet consumed.
    var unread: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[readerIndex..<writerIndex])
    }

    var unreadCount: Int { writerIndex &- readerIndex }

    /// The buffer holds `capacity` unread bytes: nothing more can be read before some are consumed.
    var isFull: Bool { readerIndex == 0 && writerIndex == storage.count }

    /// Drops `count` bytes from the front of `unread`.
    func consume(_ count: Int) {
        readerIndex &+= count
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
        }
    }

    /// Forgets everything (the connection is being reused for a new exchange or closed).
    func clear() {
        readerIndex = 0
        writerIndex = 0
    }

    /// Reads once from `socket` into the free tail, first moving unread bytes to the front when the
    /// tail is short. `.processed(0)` is end of stream; also `.processed(0)` never happens for a
    /// full buffer (check `isFull` first).
    func read(from socket: Socket) throws(SystemError) -> IOResult<Int> {
        if storage.count &- writerIndex < storage.count / 4, readerIndex > 0 {
            compact()
        }
        let tail = UnsafeMutableRawBufferPointer(rebasing: storage[writerIndex...])
        let result = try socket.read(into: tail)
        if case .processed(let count) = result {
            writerIndex &+= count
        }
        return result
    }

    /// Moves the unread bytes to the front of the storage.
    func compact() {
        guard readerIndex > 0 else { return }
        let count = writerIndex &- readerIndex
        if count > 0, let base = storage.baseAddress {
            (base).copyMemory(from: base + readerIndex, byteCount: count)
        }
        readerIndex = 0
        writerIndex = count
    }
}
