import SluiceConfig
import Testing
@testable import SluiceControl

@Suite struct StoreCryptoTests {
    @Test func sha256MatchesKnownVectors() {
        // FIPS 180-4 examples.
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals("token-a", "token-a"))
        #expect(!ConstantTime.equals("token-a", "token-b"))
        #expect(!ConstantTime.equals("token", "token-longer"))
    }

    @Test func randomBytesDiffer() throws {
        let a = try #require(SecureRandom.bytes(32))
        let b = try #require(SecureRandom.bytes(32))
        #expect(a.count == 32)
        #expect(a != b)
    }

    @Test func base64URLHasNoPaddingAndTheURLAlphabet() {
        // RFC 4648 §10 vectors, unpadded, and the two URL-safe characters.
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(HexEncoding.encode([0x00, 0xAB, 0xFF]) == "00abff")
    }
}
