import Testing
import SluiceConfig
@testable import SluicePolicy

/// Error texts are safe inside `error_description="..."`, reasons are stable and distinct, and
/// the Bearer challenges follow RFC 6750 §3.
@Suite struct JWTErrorTests {
    static let all: [JWTError] = [
        .tooLarge(limit: 8192), .malformed(.segments), .malformed(.headerEncoding), .malformed(.headerJSON),
        .malformed(.payloadEncoding), .malformed(.payloadJSON), .malformed(.signatureEncoding), .malformed(.alg),
        .malformed(.kid), .malformed(.crit), .malformed(.claim(.exp)), .malformed(.claim(.aud)),
        .algNone, .unsupportedAlgorithm, .algMismatch, .unknownKid, .unsupportedCrit, .badSignature,
        .expired, .notYetValid, .wrongIssuer, .wrongAudience,
    ]

    @Test func descriptionsAreQuotedStringSafe() {
        for error in Self.all {
            let text = error.description
            #expect(!text.isEmpty)
            #expect(text.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C }, "\(text)")
        }
    }

    @Test func reasonsAreStableLabels() {
        let reasons = Set(Self.all.filter { if case .malformed = $0 { false } else { true } }.map(\.reason))
        #expect(reasons == ["too_large", "alg_none", "alg_unsupported", "alg_mismatch", "unknown_kid", "unsupported_crit",
                            "bad_signature", "expired", "not_yet_valid", "wrong_issuer", "wrong_audience"])
        #expect(JWTError.malformed(.claim(.sub)).reason == "malformed")
    }

    @Test func invalidTokenChallenge() {
        #expect(BearerChallenge.invalidToken(.expired)
                == #"Bearer error="invalid_token", error_description="The token has expired""#)
        #expect(BearerChallenge.invalidToken(.badSignature, realm: "api")
                == #"Bearer realm="api", error="invalid_token", error_description="The token's signature is invalid""#)
    }

    @Test func missingTokenChallengeHasNoErrorCode() {
        #expect(BearerChallenge.missingToken() == "Bearer")
        #expect(BearerChallenge.missingToken(realm: "sluice") == #"Bearer realm="sluice""#)
        // A realm cannot break out of its quoted string or the header line.
        #expect(BearerChallenge.missingToken(realm: "a\"b\\c\r\nX: y") == #"Bearer realm="abcX: y""#)
    }

    /// The refusal never echoes the token: a token whose claims hold a marker is refused and
    /// no part of it appears in the challenge.
    @Test func challengeNeverEchoesTheToken() throws {
        let signer = try JWTFixtures.signer(.hs256)
        let verifier = try JWTFixtures.verifier(signer, issuer: "https://id.example")
        let token = JWTFixtures.mint(signer, claims: #"{"iss":"MARKER\"evil"}"#)
        let error = try #require(JWTFixtures.refusal(verifier, token))
        let challenge = BearerChallenge.invalidToken(error)
        #expect(!challenge.contains("MARKER"))
        #expect(!challenge.contains(String(token.prefix(20))))
    }
}
