import Glibc

/// Why a test client operation failed.
public struct TestClientError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A blocking loopback TCP client for tests: sends raw bytes, reads until a marker, a whole HTTP
/// response, or end of stream. Every read has a receive timeout (default 5 s) so a broken server
/// fails the test instead of hanging it. Not thread-safe: one test owns it.
public final class TestTCPClient {
    public private(set) var descriptor: Int32
    /// Bytes received but not yet returned by a read helper.
    public private(set) var buffered: [UInt8] = []

    /// `receiveBufferSize` (SO_RCVBUF, set before connecting) shrinks the TCP window, so a server
    /// writing a large response is guaranteed to find the socket full.
    public init(port: UInt16, host: String = "127.0.0.1", timeoutSeconds: Int = 5, receiveBufferSize: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestClientError("socket: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if var size = receiveBufferSize {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let error = errno
            Glibc.close(descriptor)
            descriptor = -1
            throw TestClientError("connect to \(host):\(port): errno \(error)")
        }
    }

    deinit { close() }

    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Half-closes the write side (the server sees end of stream).
    public func shutdownWrite() { _ = shutdown(descriptor, Int32(SHUT_WR)) }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TestClientError("send: errno \(errno)")
            }
            offset += n
        }
    }

    /// Reads once more from the socket into `buffered`. Returns false at end of stream.
    @discardableResult
    public func receiveMore() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffered.append(contentsOf: chunk[0..<n]); return true }
            if n == 0 { return false }
            if errno == EINTR { continue }
            if errno == EAGAIN { throw TestClientError("receive timed out") }
            if errno == ECONNRESET { return false }
            throw TestClientError("recv: errno \(errno)")
        }
    }

    /// Returns the bytes up to and including `marker`, reading as needed.
    public func read(until marker: String) throws -> String {
        let needle = Array(marker.utf8)
        while true {
            if let end = Self.find(needle, in: buffered) {
                let result = Array(buffered[0..<end + needle.count])
                buffered.removeFirst(end + needle.count)
                return String(decoding: result, as: UTF8.self)
            }
            guard try receiveMore() else { throw TestClientError("end of stream before \(marker.debugDescription); got \(String(decoding: buffered, as: UTF8.self).debugDescription)") }
        }
    }

    /// Returns exactly `count` bytes, reading as needed.
    public func read(count: Int) throws -> [UInt8] {
        while buffered.count < count {
            guard try receiveMore() else { throw TestClientError("end of stream after \(buffered.count) of \(count) bytes") }
        }
        let result = Array(buffered[0..<count])
        buffered.removeFirst(count)
        return result
    }

    /// Reads until the server closes the connection; returns everything left.
    public func readToEnd() throws -> [UInt8] {
        while try receiveMore() {}
        let result = buffered
        buffered.removeAll()
        return result
    }

    /// Whether the server closed the connection (reads, discarding data, until end of stream or timeout).
    public func waitForClose() -> Bool {
        do {
            while try receiveMore() {}
            return true
        } catch {
            return false
        }
    }

    /// Reads one HTTP response. `bodyless` for answers to HEAD (and 1xx/204/304, detected anyway).
    public func readResponse(bodyless: Bool = false) throws -> TestHTTPResponse {
        let headText = try read(until: "\r\n\r\n")
        var response = try TestHTTPResponse(head: headText)
        if bodyless || response.status < 200 || response.status == 204 || response.status == 304 { return response }
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.body = try read(count: length)
        } else if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try read(until: "\r\n")
                guard let size = Int(String(decoding: sizeLine.utf8.dropLast(2), as: UTF8.self).split(separator: ";").first ?? "", radix: 16) else {
                    throw TestClientError("bad chunk size line \(sizeLine.debugDescription)")
                }
                if size == 0 { _ = try read(until: "\r\n"); break }
                response.body += try read(count: size)
                _ = try read(count: 2)
            }
        } else {
            response.body = try readToEnd()
        }
        return response
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, !needle.isEmpty else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }
}

/// A parsed HTTP response as seen by a test client.
public struct TestHTTPResponse {
    public var statusLine: String
    public var status: Int
    /// Header fields in order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8] = []
    public var headText: String

    public init(head: String) throws {
        headText = head
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { throw TestClientError("empty response head") }
        statusLine = String(first)
        let parts = first.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw TestClientError("bad status line \(first)") }
        self.status = status
        headers = lines.dropFirst().map { line in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            let value = colon < line.endIndex ? line[line.index(after: colon)...] : ""
            return (String(line[..<colon]), String(value.drop(while: { $0 == " " })))
        }
    }

    /// The first value of a header, case-insensitive.
    public func header(_ name: String) -> String? {
        headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
