/// An IPv4 or IPv6 address as one 128-bit value (IPv4 as the IPv4-mapped `::ffff:a.b.c.d`, RFC 4291
/// §2.5.5.2), so one comparison serves both families and `CIDRBlock` masks one integer pair.
///
/// Parsed from text bytes without allocation (`X-Forwarded-For` elements, flag values). Accepts
/// dotted-quad IPv4 without leading zeros, and RFC 4291 §2.2 IPv6 text (`::` compression, an
/// embedded IPv4 tail); refuses zone ids, ports and brackets. A value type, `Sendable`.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The first and last 64 bits, most significant byte first.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Whether it is an IPv4(-mapped) address.
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// Parses `text` (the whole of it).
    public init?(text: String) {
        var copy = text
        guard let parsed = copy.withUTF8({ IPAddress(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses `bytes` (the whole of them).
    public init?(bytes: UnsafeRawBufferPointer) {
        if let v4 = IPAddress.parseIPv4(bytes, 0..<bytes.count) {
            self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(v4))
            return
        }
        guard let (high, low) = IPAddress.parseIPv6(bytes) else { return nil }
        self.init(high: high, low: low)
    }

    /// The 16 bytes, for hashing as an identity.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return out
    }

    /// `192.0.2.1`, or IPv6 groups in lowercase hex with the longest zero run compressed (RFC 5952).
    public var description: String {
        if isIPv4 {
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        }
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
        var bestStart = -1, bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength { bestStart = index; bestLength = end - index }
            index = end
        }
        var text = ""
        index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(groups[index], radix: 16)
            index += 1
        }
        return text
    }

    // MARK: Parsing

    /// Dotted quad in `range`: four decimal parts 0…255, no leading zeros (they are octal to some parsers).
    static func parseIPv4(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var index = range.lowerBound
        while parts < 4 {
            let start = index
            var part: UInt32 = 0
            while index < range.upperBound, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                part = part * 10 + UInt32(bytes[index] - 0x30)
                index += 1
                if index - start > 3 { return nil }
            }
            let length = index - start
            guard length > 0, part <= 255, length == 1 || bytes[start] != 0x30 else { return nil }
            value = value << 8 | part
            parts += 1
            if parts < 4 {
                guard index < range.upperBound, bytes[index] == UInt8(ascii: ".") else { return nil }
                index += 1
            }
        }
        return index == range.upperBound ? value : nil
    }

    static func hexValue(_ byte: UInt8) -> UInt16? {
        switch byte {
        case 0x30...0x39: UInt16(byte - 0x30)
        case 0x61...0x66: UInt16(byte - 0x61 + 10)
        case 0x41...0x46: UInt16(byte - 0x41 + 10)
        default: nil
        }
    }

    /// RFC 4291 §2.2: eight groups, or fewer with one `::`, optionally ending in a dotted quad.
    static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        let count = bytes.count
        guard count >= 2, count <= 45 else { return nil }
        var groups = (UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        var parsed = 0
        var gapAt = -1
        var index = 0
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            gapAt = 0
            index = 2
        }
        func set(_ position: Int, _ value: UInt16) {
            withUnsafeMutableBytes(of: &groups) { $0.storeBytes(of: value, toByteOffset: position * 2, as: UInt16.self) }
        }
        while index < count {
            guard parsed < 8 else { return nil }
            let start = index
            var value: UInt16 = 0
            while index < count, let digit = hexValue(bytes[index]) {
                value = value << 4 | digit
                index += 1
                if index - start > 4 { return nil }
            }
            if index < count, bytes[index] == UInt8(ascii: ".") {
                // Embedded IPv4 tail takes two groups and ends the text.
                guard parsed <= 6, let v4 = parseIPv4(bytes, start..<count) else { return nil }
                set(parsed, UInt16(truncatingIfNeeded: v4 >> 16))
                set(parsed + 1, UInt16(truncatingIfNeeded: v4))
                parsed += 2
                index = count
                break
            }
            guard index > start else { return nil }
            set(parsed, value)
            parsed += 1
            if index == count { break }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < count, bytes[index] == UInt8(ascii: ":") {
                guard gapAt < 0 else { return nil }
                gapAt = parsed
                index += 1
            } else if index == count {
                return nil  // a single trailing ':'
            }
        }
        if gapAt < 0 ? parsed != 8 : parsed > 7 { return nil }
        func get(_ position: Int) -> UInt64 {
            UInt64(withUnsafeBytes(of: groups) { $0.load(fromByteOffset: position * 2, as: UInt16.self) })
        }
        let tail = gapAt < 0 ? 0 : parsed - gapAt
        var high: UInt64 = 0, low: UInt64 = 0
        for position in 0..<8 {
            let word: UInt64
            if gapAt < 0 || position < gapAt {
                word = get(position)
            } else if position >= 8 - tail {
                word = get(gapAt + position - (8 - tail))
            } else {
                word = 0
            }
            if position < 4 { high = high << 16 | word } else { low = low << 16 | word }
        }
        return (high, low)
    }
}
