import Testing
@testable import SluicePolicy

@Suite struct ConstantTimeBytesTests {
    @Test func findsADifferenceAtEveryPositionAndLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            #expect(bytes.withUnsafeBytes { a in bytes.withUnsafeBytes { b in ConstantTimeBytes.equal(a, b) } })
            for position in 0..<length {
                var other = bytes
                other[position] ^= 0x80
                #expect(!bytes.withUnsafeBytes { a in other.withUnsafeBytes { b in ConstantTimeBytes.equal(a, b) } })
            }
            let longer = bytes + [0]
            #expect(!bytes.withUnsafeBytes { a in longer.withUnsafeBytes { b in ConstantTimeBytes.equal(a, b) } })
        }
    }
}
