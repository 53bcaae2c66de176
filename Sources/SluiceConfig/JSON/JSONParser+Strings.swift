extension JSONParser {
    /// Parses a string starting at its opening quote (RFC 8259 §7), validating UTF-8 as
    /// RFC 3629 §4 defines it. Plain ASCII strings without escapes take a copy-free scan.
    mutating func parseString() throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw failure(.controlCharacterInString)
            case 0x20..<0x80:
                buffer.append(byte)
                index += 1
            default:
                try copyMultiByteScalar(into: &buffer)
            }
        }
    }

    /// Copies one multi-byte UTF-8 sequence after checking it against RFC 3629 §4's table.
    private mutating func copyMultiByteScalar(into buffer: inout [UInt8]) throws(Failure) {
        let lead = bytes[index]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F  // U+D800…U+DFFF are not scalars
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F  // nothing above U+10FFFF
        default: throw failure(.invalidUTF8)
        }
        guard index + length <= bytes.count else {
            // Report a truncated sequence at the first missing or bad byte.
            var probe = index + 1
            while probe < bytes.count, bytes[probe] & 0xC0 == 0x80 { probe += 1 }
            throw Failure(kind: probe < bytes.count ? .invalidUTF8 : .unexpectedEndOfInput, offset: probe)
        }
        let second = bytes[index + 1]
        guard second >= secondLow && second <= secondHigh else {
            throw Failure(kind: .invalidUTF8, offset: index + 1)
        }
        for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            throw Failure(kind: .invalidUTF8, offset: index + offset)
        }
        buffer.append(contentsOf: bytes[index..<(index + length)])
        index += length
    }

    /// Decodes one escape (RFC 8259 §7), `index` at the backslash.
    private mutating func parseEscape(into buffer: inout [UInt8]) throws(Failure) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
        let replacement: UInt8
        switch bytes[index] {
        case UInt8(ascii: "\""): replacement = 0x22
        case UInt8(ascii: "\\"): replacement = 0x5C
        case UInt8(ascii: "/"): replacement = 0x2F
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            index += 1
            let unit = try parseHexQuad(escapeStart: escapeStart)
            var scalarValue = UInt32(unit)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw Failure(kind: .loneSurrogate, offset: escapeStart)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                let lowStart = index
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                      bytes[index + 1] == UInt8(ascii: "u") else {
                    throw Failure(kind: .loneSurrogate, offset: escapeStart)
                }
                index += 2
                let low = try parseHexQuad(escapeStart: lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw Failure(kind: .loneSurrogate, offset: escapeStart)
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw Failure(kind: .loneSurrogate, offset: escapeStart)
            }
            buffer.append(contentsOf: scalar.utf8)
            return
        default:
            throw Failure(kind: .invalidEscape, offset: escapeStart)
        }
        buffer.append(replacement)
        index += 1
    }

    /// Reads four hex digits at `index`; a bad digit is an invalid escape reported at its start.
    private mutating func parseHexQuad(escapeStart: Int) throws(Failure) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure(kind: .invalidEscape, offset: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
