import Testing
@testable import SluiceProxy

@Suite struct RequestIDGeneratorTests {
    @Test func generatedIDsAreSplitMixHexAndDistinct() {
        var generator = RequestIDGenerator(seed: 0)
        var first: [UInt8] = []
        generator.appendNext(to: &first)
        // splitmix64's first output for seed 0.
        #expect(String(decoding: first, as: UTF8.self) == "e220a8397b1dcdaf")
        var seen = Set<[UInt8]>()
        for _ in 0..<10_000 {
            var id: [UInt8] = []
            generator.appendNext(to: &id)
            #expect(id.count == 16)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test(arguments: [
        ("abc", true), ("A-Z_0.9", true), (String(repeating: "x", count: 128), true),
        ("", false), (String(repeating: "x", count: 129), false), ("a b", false), ("a/b", false), ("é", false),
    ])
    func incomingIDValidity(value: String, valid: Bool) {
        let bytes = Array(value.utf8)
        #expect(bytes.withUnsafeBytes { RequestIDGenerator.isValid($0) } == valid)
    }
}
