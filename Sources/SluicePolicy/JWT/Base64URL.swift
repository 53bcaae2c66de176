/// Strict base64url (RFC 4648 §5) as JWS uses it (RFC 7515 §2, Appendix C): alphabet
/// `A–Z a–z 0–9 - _` only, no `=` padding, no whitespace, and canonical encodings only — a
/// length of 1 mod 4 and non-zero unused trailing bits are refused, so each byte string has
/// exactly one accepted encoding (a token cannot be altered without changing its bytes' meaning).
///
/// Complexity: linear in the input; allocates only the output array.
enum Base64URL {
    /// Decodes `input`, or nil if it is not strict canonical base64url. Empty input is valid and
    /// decodes to no bytes.
    static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let count = input.count
        let remainder = count & 3
        if remainder == 1 { return nil }
        var output = [UInt8]()
        output.reserveCapacity(count / 4 * 3 + max(0, remainder - 1))
        var index = 0
        let fullEnd = count - remainder
        while index < fullEnd {
            guard let a = sextet(input[index]), let b = sextet(input[index + 1]),
                  let c = sextet(input[index + 2]), let d = sextet(input[index + 3]) else { return nil }
            let word = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            output.append(UInt8(truncatingIfNeeded: word >> 16))
            output.append(UInt8(truncatingIfNeeded: word >> 8))
            output.append(UInt8(truncatingIfNeeded: word))
            index += 4
        }
        if remainder == 2 {
            guard let a = sextet(input[index]), let b = sextet(input[index + 1]) else { return nil }
            // RFC 4648 §3.5: the 4 unused bits must be zero in a canonical encoding.
            guard b & 0x0F == 0 else { return nil }
            output.append(a << 2 | b >> 4)
        } else if remainder == 3 {
            guard let a = sextet(input[index]), let b = sextet(input[index + 1]),
                  let c = sextet(input[index + 2]) else { return nil }
            guard c & 0x03 == 0 else { return nil }
            output.append(a << 2 | b >> 4)
            output.append((b & 0x0F) << 4 | c >> 2)
        }
        return output
    }

    /// Decodes a string's UTF-8 bytes (JWK members).
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Encodes without padding (tests, benchmark and `JWTSigner`).
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(word >> 18 & 63)])
            output.append(alphabet[Int(word >> 12 & 63)])
            output.append(alphabet[Int(word >> 6 & 63)])
            output.append(alphabet[Int(word & 63)])
            index += 3
        }
        let left = bytes.count - index
        if left == 1 {
            let word = UInt32(bytes[index]) << 16
            output.append(alphabet[Int(word >> 18 & 63)])
            output.append(alphabet[Int(word >> 12 & 63)])
        } else if left == 2 {
            let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output.append(alphabet[Int(word >> 18 & 63)])
            output.append(alphabet[Int(word >> 12 & 63)])
            output.append(alphabet[Int(word >> 6 & 63)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always)
    private static func sextet(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol &- UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol &- UInt8(ascii: "a") &+ 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol &- UInt8(ascii: "0") &+ 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
