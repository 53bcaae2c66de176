/// Serializes HTTP/1.1 message heads (and chunk framing) into a caller-owned `[UInt8]`, for the
/// server's responses and the upstream client's requests. The caller reuses the array's capacity
/// (`removeAll(keepingCapacity: true)`), so writing a head allocates nothing in the steady state.
/// No `String` on the fast path: names and values are `StaticString`, `[UInt8]` or raw buffers; the
/// `appendField(name:value:to:)` for strings is for cold paths (errors, config-derived values).
///
/// The writer does not validate names and values it is given as bytes: they come from the parser
/// (already validated) or from constants. The `String` variant replaces CR, LF and NUL with SP so a
/// value from elsewhere can never split the head (RFC 9110 §5.5).
public enum HTTPHeadWriter {
    /// `HTTP/1.1 <code> <reason>\r\n` (or 1.0); common codes are one pre-encoded literal copy.
    public static func appendStatusLine(_ status: Int, version: HTTPVersion = .http11, to out: inout [UInt8]) {
        if version == .http11, let line = preEncodedStatusLine(status) {
            appendStatic(line, to: &out)
            return
        }
        appendStatic(version == .http11 ? "HTTP/1.1 " : "HTTP/1.0 ", to: &out)
        // status-code = 3DIGIT (RFC 9112 §4); anything else is clamped to a valid code.
        let code = (100...999).contains(status) ? status : 500
        appendDecimal(code, to: &out)
        out.append(HTTPByteClass.sp)
        appendStatic(reasonPhrase(code), to: &out)
        appendCRLF(to: &out)
    }

    /// `<method> <target> HTTP/1.1\r\n`, the method by enum. `.other` has no name: nothing is
    /// written and the result is false (use the bytes overload with the method as received).
    @discardableResult
    public static func appendRequestLine(_ method: HTTPMethod, target: UnsafeRawBufferPointer,
                                         version: HTTPVersion = .http11, to out: inout [UInt8]) -> Bool {
        guard let name = methodName(method) else { return false }
        appendStatic(name, to: &out)
        out.append(HTTPByteClass.sp)
        out.append(contentsOf: target)
        appendStatic(version == .http11 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n", to: &out)
        return true
    }

    /// `<method> <target> HTTP/1.1\r\n` with the method's bytes as received.
    public static func appendRequestLine(method: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer,
                                         version: HTTPVersion = .http11, to out: inout [UInt8]) {
        out.append(contentsOf: method)
        out.append(HTTPByteClass.sp)
        out.append(contentsOf: target)
        appendStatic(version == .http11 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n", to: &out)
    }

    /// `<name>: <value>\r\n`.
    @inlinable
    public static func appendField(_ name: StaticString, _ value: StaticString, to out: inout [UInt8]) {
        appendStatic(name, to: &out)
        appendColonSpace(to: &out)
        appendStatic(value, to: &out)
        appendCRLF(to: &out)
    }

    public static func appendField(_ name: StaticString, _ value: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        appendStatic(name, to: &out)
        appendColonSpace(to: &out)
        out.append(contentsOf: value)
        appendCRLF(to: &out)
    }

    public static func appendField(_ name: StaticString, _ value: [UInt8], to out: inout [UInt8]) {
        appendStatic(name, to: &out)
        appendColonSpace(to: &out)
        out.append(contentsOf: value)
        appendCRLF(to: &out)
    }

    /// A field copied from a parsed head: name and value as bytes of the received buffer.
    public static func appendField(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer,
                                   to out: inout [UInt8]) {
        out.append(contentsOf: name)
        appendColonSpace(to: &out)
        out.append(contentsOf: value)
        appendCRLF(to: &out)
    }

    /// `<name>: <decimal>\r\n`.
    public static func appendField(_ name: StaticString, decimal value: Int, to out: inout [UInt8]) {
        appendStatic(name, to: &out)
        appendColonSpace(to: &out)
        appendDecimal(value, to: &out)
        appendCRLF(to: &out)
    }

    /// Cold path: any strings. CR, LF and NUL in either become SP. Labelled so that a literal
    /// `appendField("Name", "value", ...)` always picks the `StaticString` fast path.
    public static func appendField(name: String, value: String, to out: inout [UInt8]) {
        for byte in name.utf8 { out.append(safeByte(byte)) }
        appendColonSpace(to: &out)
        for byte in value.utf8 { out.append(safeByte(byte)) }
        appendCRLF(to: &out)
    }

    /// `Content-Length: <n>\r\n`.
    public static func appendContentLength(_ length: Int, to out: inout [UInt8]) {
        appendStatic("Content-Length: ", to: &out)
        appendDecimal(length, to: &out)
        appendCRLF(to: &out)
    }

    /// The empty line ending the head.
    @inlinable
    public static func appendEndOfHead(to out: inout [UInt8]) {
        appendCRLF(to: &out)
    }

    /// `<hex size>\r\n`, the line before a chunk of `size` bytes (RFC 9112 §7.1); size 0 is the last chunk.
    public static func appendChunkSizeLine(_ size: Int, to out: inout [UInt8]) {
        var shift = 60
        while shift > 0 && (size &>> shift) & 0xF == 0 { shift &-= 4 }
        while shift >= 0 {
            let digit = UInt8(truncatingIfNeeded: (size &>> shift) & 0xF)
            out.append(digit < 10 ? 0x30 &+ digit : 0x61 &+ digit &- 10)
            shift &-= 4
        }
        appendCRLF(to: &out)
    }

    /// The last chunk and an empty trailer section: `0\r\n\r\n`.
    public static func appendLastChunk(to out: inout [UInt8]) {
        appendStatic("0\r\n\r\n", to: &out)
    }

    /// A non-negative integer in decimal, without `String` (negative values are written as 0).
    public static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var remaining = max(value, 0)
        var digits = 1
        var limit = 10
        while remaining >= limit && digits < 19 {
            digits &+= 1
            limit = limit &* 10
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: digits))
        var index = start &+ digits &- 1
        while index >= start {
            out[index] = 0x30 &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index &-= 1
        }
    }

    @inlinable
    static func appendStatic(_ literal: StaticString, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    @inlinable
    static func appendCRLF(to out: inout [UInt8]) {
        out.append(0x0D)
        out.append(0x0A)
    }

    @inlinable
    static func appendColonSpace(to out: inout [UInt8]) {
        out.append(0x3A)
        out.append(0x20)
    }

    private static func safeByte(_ byte: UInt8) -> UInt8 {
        byte == 0x0D || byte == 0x0A || byte == 0 ? 0x20 : byte
    }

    static func methodName(_ method: HTTPMethod) -> StaticString? {
        switch method {
        case .GET: return "GET"
        case .HEAD: return "HEAD"
        case .POST: return "POST"
        case .PUT: return "PUT"
        case .DELETE: return "DELETE"
        case .PATCH: return "PATCH"
        case .OPTIONS: return "OPTIONS"
        case .TRACE: return "TRACE"
        case .CONNECT: return "CONNECT"
        case .other: return nil
        }
    }
}
