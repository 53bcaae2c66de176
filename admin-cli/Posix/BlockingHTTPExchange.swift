import Glibc
import SluiceHTTP

/// One blocking HTTP/1.1 exchange on a fresh connection: connect, send the whole request, read
/// the whole response (framed by the engine's `HTTP1ResponseParser` and `HTTP1ChunkedDecoder`).
///
/// The engine's `Socket` is nonblocking; this type waits for it with poll(2), each wait bounded by
/// `timeoutMilliseconds`. The body is bounded by `maximumBodyBytes`. The socket is closed when the
/// exchange ends, on every path (`Socket.deinit`).
///
/// Safety: the only pointers are the `withUnsafe…Bytes` buffers handed to `Socket.read`/`write`,
/// which do not outlive the closures; `poll` gets an `inout` pollfd.
struct BlockingHTTPExchange {
    var timeoutMilliseconds: Int32 = 60_000
    var maximumBodyBytes = 64 * 1024 * 1024

    func perform(_ request: [UInt8], method: HTTPMethod, to server: ServerAddress) throws(SluicectlError) -> HTTPReply {
        let socket = try connect(server)
        defer { socket.close() }
        try send(request, on: socket, server: server)
        return try receive(on: socket, method: method, server: server)
    }

    private func connect(_ server: ServerAddress) throws(SluicectlError) -> Socket {
        var lastError = "no address"
        for address in server.addresses {
            do {
                let socket = try Socket.makeTCP(address.family)
                if try !socket.connect(to: address) {
                    try wait(socket, for: Int16(POLLOUT), server: server)
                    let error = try socket.pendingError()
                    if error != 0 {
                        lastError = String(cString: strerror(error))
                        continue
                    }
                }
                return socket
            } catch let error as SystemError {
                lastError = String(cString: strerror(error.errno))
            } catch let error as SluicectlError {
                throw error
            } catch {
                lastError = "\(error)"
            }
        }
        throw .unavailable("cannot connect to \(server.text): \(lastError)")
    }

    private func send(_ request: [UInt8], on socket: Socket, server: ServerAddress) throws(SluicectlError) {
        var offset = 0
        while offset < request.count {
            let result = request.withUnsafeBytes { bytes in
                Result { () throws(SystemError) -> IOResult<Int> in
                    try socket.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
            }
            switch result {
            case .success(.processed(let count)): offset += count
            case .success(.wouldBlock): try wait(socket, for: Int16(POLLOUT), server: server)
            case .failure(let error): throw .unavailable("sending to \(server.text) failed: \(error)")
            }
        }
    }

    /// Reads more bytes onto `buffer`; false at end of stream.
    private func readMore(into buffer: inout [UInt8], from socket: Socket, server: ServerAddress) throws(SluicectlError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let result = chunk.withUnsafeMutableBytes { bytes in
                Result { () throws(SystemError) -> IOResult<Int> in try socket.read(into: bytes) }
            }
            switch result {
            case .success(.processed(0)): return false
            case .success(.processed(let count)):
                buffer.append(contentsOf: chunk[0..<count])
                return true
            case .success(.wouldBlock): try wait(socket, for: Int16(POLLIN), server: server)
            case .failure(let error): throw .unavailable("reading from \(server.text) failed: \(error)")
            }
        }
    }

    private func receive(on socket: Socket, method: HTTPMethod, server: ServerAddress) throws(SluicectlError) -> HTTPReply {
        var buffer: [UInt8] = []
        var parser = HTTP1ResponseParser()
        var head = HTTPResponseHead()
        var fields: [(name: String, value: String)] = []
        // The head (skipping interim 1xx heads).
        while true {
            let result = buffer.withUnsafeBytes { parser.parse($0, requestMethod: method) }
            switch result {
            case .incomplete:
                guard try readMore(into: &buffer, from: socket, server: server) else {
                    throw .unavailable("\(server.text) closed the connection before a complete response")
                }
                continue
            case .failed(let error):
                throw .unavailable("bad response from \(server.text): \(error)")
            case .complete(let consumed):
                head = parser.head
                if head.isInterim {
                    buffer.removeFirst(consumed)
                    continue
                }
                fields = head.fields.map { field in
                    (String(decoding: buffer[field.nameRange], as: UTF8.self),
                     String(decoding: buffer[field.valueRange], as: UTF8.self))
                }
                buffer.removeFirst(consumed)
            }
            break
        }
        let body = try readBody(head.framing, after: buffer, from: socket, server: server)
        return HTTPReply(status: head.status, fields: fields, body: body)
    }

    private func readBody(_ framing: HTTPBodyFraming, after start: [UInt8], from socket: Socket,
                          server: ServerAddress) throws(SluicectlError) -> [UInt8] {
        var buffer = start
        switch framing {
        case .none:
            return []
        case .contentLength(let length):
            guard length <= maximumBodyBytes else { throw .unavailable("response from \(server.text) is too large") }
            while buffer.count < length {
                guard try readMore(into: &buffer, from: socket, server: server) else {
                    throw .unavailable("\(server.text) closed the connection in the middle of the response body")
                }
            }
            return Array(buffer[0..<length])
        case .untilClose:
            while try readMore(into: &buffer, from: socket, server: server) {
                guard buffer.count <= maximumBodyBytes else { throw .unavailable("response from \(server.text) is too large") }
            }
            return buffer
        case .chunked:
            var decoder = HTTP1ChunkedDecoder()
            var body: [UInt8] = []
            while true {
                let step = buffer.withUnsafeBytes { bytes in
                    Result { () throws(HTTPParseError) -> HTTP1ChunkedDecoder.Step in try decoder.decode(bytes) }
                }
                switch step {
                case .failure(let error):
                    throw .unavailable("bad chunked body from \(server.text): \(error)")
                case .success(let step):
                    if let data = step.data { body.append(contentsOf: buffer[data]) }
                    buffer.removeFirst(step.consumed)
                    guard body.count <= maximumBodyBytes else { throw .unavailable("response from \(server.text) is too large") }
                    if step.finished { return body }
                    if step.consumed == 0 || buffer.isEmpty {
                        guard try readMore(into: &buffer, from: socket, server: server) else {
                            throw .unavailable("\(server.text) closed the connection in the middle of the response body")
                        }
                    }
                }
            }
        }
    }

    private func wait(_ socket: Socket, for events: Int16, server: ServerAddress) throws(SluicectlError) {
        var descriptor = pollfd(fd: socket.descriptor, events: events, revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeoutMilliseconds)
            if ready > 0 { return }
            if ready == 0 { throw .unavailable("\(server.text) did not answer within \(timeoutMilliseconds / 1000) s") }
            if errno != EINTR { throw .unavailable("poll failed: \(String(cString: strerror(errno)))") }
        }
    }
}
