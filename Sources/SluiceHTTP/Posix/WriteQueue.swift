import CSystem
import Glibc

/// Bytes waiting to be written to one socket, written with `writev` (up to IOV_MAX buffers per call)
/// and surviving partial writes. Used by the server connection and the upstream client connection.
///
/// The fast path is zero-copy: `write(to:_:_:_:_:)` hands the queued bytes *and* the caller's
/// buffers to one `writev`; only what the kernel did not take is copied into the queue. Memory: an
/// empty queue holds no buffer (chunks are freed as soon as they are written), so an idle connection
/// pays nothing for it.
///
/// Water marks: when `isAboveHighWaterMark` the owner should stop producing (pause the read side
/// that feeds this queue); when a later `flush` leaves it `isAtOrBelowLowWaterMark`, resume.
/// Thread affinity: owned by one connection on one event loop. `~Copyable` so the chunk memory has
/// exactly one owner; the raw chunk pointers never leave this type.
public struct WriteQueue: ~Copyable {
    /// One manually allocated chunk; bytes `start..<end` are still to be written.
    private struct Chunk {
        var base: UnsafeMutableRawPointer
        var capacity: Int
        var start: Int
        var end: Int
    }

    public var highWaterMark: Int
    public var lowWaterMark: Int
    private var chunks: [Chunk] = []
    /// Bytes queued and not yet written.
    public private(set) var pendingBytes = 0

    /// Smallest chunk allocated for leftovers, so many small appends share one allocation.
    private static let minimumChunk = 4096

    public init(highWaterMark: Int = 256 * 1024, lowWaterMark: Int = 64 * 1024) {
        self.highWaterMark = highWaterMark
        self.lowWaterMark = lowWaterMark
    }

    deinit {
        for chunk in chunks { chunk.base.deallocate() }
    }

    public var isEmpty: Bool { pendingBytes == 0 }
    public var isAboveHighWaterMark: Bool { pendingBytes > highWaterMark }
    public var isAtOrBelowLowWaterMark: Bool { pendingBytes <= lowWaterMark }

    /// Copies `bytes` to the end of the queue without writing.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let source = bytes.baseAddress else { return }
        pendingBytes += bytes.count
        if let last = chunks.indices.last, chunks[last].capacity - chunks[last].end >= bytes.count {
            (chunks[last].base + chunks[last].end).copyMemory(from: source, byteCount: bytes.count)
            chunks[last].end += bytes.count
            return
        }
        let capacity = max(bytes.count, Self.minimumChunk)
        let base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        base.copyMemory(from: source, byteCount: bytes.count)
        chunks.append(Chunk(base: base, capacity: capacity, start: 0, end: bytes.count))
    }

    /// Copies `bytes` to the end of the queue without writing.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Drops everything queued (the connection is being closed).
    public mutating func removeAll() {
        for chunk in chunks { chunk.base.deallocate() }
        chunks.removeAll()
        pendingBytes = 0
    }

    /// Writes as much of the queue as the socket takes. Returns true when the queue is now empty;
    /// false means the socket is full: wait for writability and call again.
    @discardableResult
    public mutating func flush(to socket: Socket) throws(SystemError) -> Bool {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        return try write(to: socket, empty, empty, empty, empty)
    }

    /// Writes the queued bytes followed by `first`...`fourth` (empty buffers are skipped) with one
    /// `writev`, repeating while the kernel takes everything offered. Whatever of the caller's
    /// buffers was not written is copied into the queue, so they may be reused on return.
    /// Returns true when everything was written (the queue is empty).
    public mutating func write(
        to socket: Socket,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        _ third: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        _ fourth: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) throws(SystemError) -> Bool {
        var extras = (first, second, third, fourth)
        var extraBytes = first.count + second.count + third.count + fourth.count
        if pendingBytes == 0 && extraBytes == first.count {
            // One buffer and nothing queued (a whole small response): a plain send(2).
            guard first.count > 0 else { return true }
            let written: Int
            switch try socket.write(first) {
            case .processed(let count): written = count
            case .wouldBlock: written = 0
            }
            if written == first.count { return true }
            append(UnsafeRawBufferPointer(rebasing: first[written...]))
            return false
        }
        let maxVectors = min(Socket.maxIOVectors, 64)
        while pendingBytes + extraBytes > 0 {
            let written: Int
            let offered: Int
            (written, offered) = try withUnsafeTemporaryAllocation(of: iovec.self, capacity: maxVectors) {
                (vectors) throws(SystemError) -> (Int, Int) in
                var count = 0
                var offered = 0
                for chunk in chunks where count < maxVectors - 4 {
                    vectors[count] = iovec(iov_base: chunk.base + chunk.start, iov_len: chunk.end - chunk.start)
                    offered += chunk.end - chunk.start
                    count += 1
                }
                if count == chunks.count {
                    func add(_ buffer: UnsafeRawBufferPointer) {
                        guard buffer.count > 0 else { return }
                        vectors[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress), iov_len: buffer.count)
                        offered += buffer.count
                        count += 1
                    }
                    add(extras.0); add(extras.1); add(extras.2); add(extras.3)
                }
                switch try socket.writev(UnsafeBufferPointer(rebasing: vectors[0..<count])) {
                case .processed(let n): return (n, offered)
                case .wouldBlock: return (0, offered)
                }
            }
            var remaining = written
            consumeQueued(&remaining)
            if remaining > 0 { consumeExtras(&extras, remaining) }
            extraBytes = extras.0.count + extras.1.count + extras.2.count + extras.3.count
            if written < offered { break }
        }
        if extraBytes > 0 {
            append(extras.0); append(extras.1); append(extras.2); append(extras.3)
        }
        return pendingBytes == 0
    }

    /// Removes `remaining` written bytes from the front of the queue, decrementing `remaining`.
    private mutating func consumeQueued(_ remaining: inout Int) {
        var freed = 0
        for index in chunks.indices {
            guard remaining > 0 else { break }
            let available = chunks[index].end - chunks[index].start
            let taken = min(available, remaining)
            chunks[index].start += taken
            pendingBytes -= taken
            remaining -= taken
            if chunks[index].start == chunks[index].end { freed += 1 } else { break }
        }
        if freed > 0 {
            for index in 0..<freed { chunks[index].base.deallocate() }
            chunks.removeFirst(freed)
        }
    }

    private func consumeExtras(
        _ extras: inout (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer),
        _ written: Int
    ) {
        var remaining = written
        func take(_ buffer: inout UnsafeRawBufferPointer) {
            let taken = min(buffer.count, remaining)
            if taken > 0 { buffer = UnsafeRawBufferPointer(rebasing: buffer[taken...]) }
            remaining -= taken
        }
        take(&extras.0); take(&extras.1); take(&extras.2); take(&extras.3)
    }
}
