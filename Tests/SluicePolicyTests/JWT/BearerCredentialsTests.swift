import Testing
@testable import SluicePolicy

@Suite struct BearerCredentialsTests {
    func token(_ fieldValue: String) -> String? {
        var fieldValue = fieldValue
        return fieldValue.withUTF8 { bytes in
            BearerCredentials.token(in: UnsafeRawBufferPointer(bytes)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test func findsTheToken() {
        #expect(token("Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(token("bearer abc") == "abc")
        #expect(token("BEARER  abc") == "abc")
        #expect(token(" \tBearer abc \t") == "abc")
        #expect(token("Bearer mF_9.B5f-4.1JqM=") == "mF_9.B5f-4.1JqM=")
    }

    @Test func refusesOtherCredentials() {
        for value in ["", "Bearer", "Bearer ", "Bearer  ", "Bearerabc", "Basic dXNlcjpwYXNz", "Bearer a b", "Bearer a\tb",
                      "Bearer\tabc", "Bearez abc", "Bearer_abc"] {
            #expect(token(value) == nil, "\(value)")
        }
    }

    @Test func findsSpacesAndTabsAnywhereInLongTokens() {
        let long = String(repeating: "abcdefgh", count: 70)
        #expect(token("Bearer " + long) == long)
        for position in [1, 7, 8, 9, 63, 64, 300, 558, 559] {
            for space in [" ", "\t"] {
                var bytes = Array(long.utf8)
                bytes[position] = UInt8(ascii: space == " " ? " " : "\t")
                let value = "Bearer " + String(decoding: bytes, as: UTF8.self) + "x"
                #expect(token(value) == nil, "\(position)")
            }
        }
        // Bytes whose XOR with 0x20 or 0x09 borrows across lanes are not spaces.
        #expect(token("Bearer " + String(repeating: "!(\u{7F}0", count: 8)) != nil)
    }
}
