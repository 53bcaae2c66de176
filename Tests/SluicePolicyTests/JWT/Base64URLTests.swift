import Testing
@testable import SluicePolicy

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
    }

    @Test func knownValues() {
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("QQ") == Array("A".utf8))
        #expect(Base64URL.decode("_-8") == [0xFF, 0xEF])
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    @Test func refusesEverythingNotStrictAndCanonical() {
        for text in ["QQ==", "QQ=", "Q", "QQQQQ", "+/8", "Q Q", "QQ\n", "QR", "QUF", "QUE=", "Zm9v.", "\u{0}\u{0}"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
        #expect(Base64URL.decode("QUE") == Array("AA".utf8))
    }
}
