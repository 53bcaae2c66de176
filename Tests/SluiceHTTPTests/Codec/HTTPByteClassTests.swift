import Testing
@testable import SluiceHTTP

/// The SWAR fast paths must agree with the byte-by-byte classes for every byte value at every
/// position of a word.
@Suite struct HTTPByteClassTests {
    func word(filler: UInt8, byte: UInt8, at position: Int) -> UInt64 {
        var bytes = [UInt8](repeating: filler, count: 8)
        bytes[position] = byte
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    @Test func swarClassesMatchByteClasses() {
        for value in 0...255 {
            let byte = UInt8(value)
            let isCommonName = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D
            let isValue = HTTPByteClass.isFieldValueByte(byte) && byte != 0x09
            let isPlainTarget = HTTPByteClass.isTargetByte(byte) && byte != UInt8(ascii: "?")
            for position in 0..<8 {
                for filler in [UInt8(ascii: "a"), UInt8(ascii: "Z"), UInt8(ascii: "0"), UInt8(ascii: "-")] {
                    let w = word(filler: filler, byte: byte, at: position)
                    #expect(HTTPByteClass.allCommonNameBytes(w) == isCommonName, "name \(byte) at \(position)")
                    #expect(HTTPByteClass.allFieldValueBytes(w) == isValue, "value \(byte) at \(position)")
                    #expect(HTTPByteClass.allPlainTargetBytes(w) == isPlainTarget, "target \(byte) at \(position)")
                }
            }
            if isCommonName { #expect(HTTPByteClass.isTchar(byte)) }
        }
    }

    @Test func tcharTableMatchesRFC9110() {
        let tchars = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for value in 0...255 {
            #expect(HTTPByteClass.isTchar(UInt8(value)) == tchars.contains(UInt8(value)), "\(value)")
        }
    }

    @Test func hexValues() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = UInt8(String(UnicodeScalar(byte)), radix: 16)
            #expect(HTTPByteClass.hexValue(byte) == expected, "\(value)")
        }
    }
}
