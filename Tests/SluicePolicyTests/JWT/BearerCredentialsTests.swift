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
        for value in ["", "Bearer", "Bearer ", "Bearer  ", "Bearerabc", "Basic dXNlcjpwYXNz", "Bearer\tabc", "Bearez abc", "Bearer_abc"] {
            #expect(token(value) == nil, "\(value)")
        }
    }

    /// Spaces inside are left to the verifier (they are not base64url), so the scan of several
    /// hundred bytes is not paid on every request.
    @Test func spacesInsideTheTokenAreTheVerifiersToRefuse() {
        #expect(token("Bearer a b") == "a b")
        #expect(token("Bearer a\tb ") == "a\tb")
    }

    @Test func hasSchemeWithOrWithoutAToken() {
        func has(_ value: String) -> Bool {
            var value = value
            return value.withUTF8 { BearerCredentials.hasScheme(in: UnsafeRawBufferPointer($0)) }
        }
        #expect(has("Bearer") && has(" bearer ") && has("BEARER x.y.z") && has("Bearer  a b"))
        #expect(!has("Basic dXNlcjpwYXNz") && !has("Bearerx") && !has("Bearer\tx") && !has("") && !has("Beare"))
    }
}
