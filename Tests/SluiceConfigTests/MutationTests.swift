import Testing
import SluiceConfig

/// Seeded mutations of valid documents: nothing crashes, and whatever is accepted round-trips.
@Suite struct MutationTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let interesting: [UInt8] = Array(#"{}[]",:0-1e.\"u tnf"#.utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xED, 0xFF]

    func mutate(_ bytes: [UInt8], _ generator: inout Generator) -> [UInt8] {
        var mutated = bytes
        for _ in 0...generator.below(3) {
            guard !mutated.isEmpty else { break }
            let position = generator.below(mutated.count)
            let byte = Self.interesting[generator.below(Self.interesting.count)]
            switch generator.below(3) {
            case 0: mutated[position] = byte
            case 1: mutated.remove(at: position)
            default: mutated.insert(byte, at: position)
            }
        }
        return mutated
    }

    @Test func mutatedSnapshotsAreRefusedOrRoundTrip() throws {
        let original = try ExampleSnapshotTests.example().canonicalJSON()
        var generator = Generator(state: 0x2545_F491_4F6C_DD1D)
        var accepted = 0
        for _ in 0..<1500 {
            let input = mutate(original, &generator)
            do {
                let snapshot = try SnapshotDecoder.decodeAndValidate(input)
                accepted += 1
                #expect(try SnapshotDecoder.decodeAndValidate(snapshot.canonicalJSON()) == snapshot)
                #expect(snapshot.validate() == [])
            } catch {
                #expect(!error.problems.isEmpty)
                #expect((error.syntaxError == nil) == !error.problems.contains { $0.message.hasPrefix("invalid JSON") })
            }
        }
        #expect(accepted > 0)
    }

    @Test func mutatedJSONIsRefusedOrRoundTrips() throws {
        let original = Array(#"{"a":[1,-2.5e3,"é\n\u00e9\ud83d\ude00",true,null],"b":{"c":{}},"d":0.125}"#.utf8)
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<3000 {
            let input = mutate(original, &generator)
            do {
                let value = try JSONParser.parse(input)
                #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
            } catch {
                #expect(error.offset >= 0 && error.offset <= input.count)
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
    }
}
