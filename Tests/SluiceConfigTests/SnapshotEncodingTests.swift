import Testing
import SluiceConfig

@Suite struct SnapshotEncodingTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func canonicalFormWritesEveryDefaultInAFixedOrder() throws {
        let minimal = try SnapshotDecoder.decodeAndValidate(Array(#"{"format":1}"#.utf8))
        #expect(text(minimal.canonicalJSON()) == #"{"format":1,"version":0,"upstreams":[],"routes":[],"tiers":[],"orgs":[],"consumers":[],"api_keys":[],"jwt_keys":[]}"#)

        let reordered = #"""
        {"jwt_keys":[{"issuer":"i","secret":"-_-_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw","alg":"HS256","kid":"k"}],
         "consumers":[{"org":"o","tier":"t","id":"c"}],
         "tiers":[{"requests_per_day":9,"burst":4,"requests_per_second":2.5,"name":"t"},{"name":"p","requests_per_second":5}],
         "routes":[{"upstream":"u","name":"r","auth":"jwt"}],
         "upstreams":[{"targets":[{"weight":2,"url":"http://a"}],"name":"u"}],
         "version":4,"format":1}
        """#
        let snapshot = try SnapshotDecoder.decodeAndValidate(Array(reordered.utf8))
        let expected = #"{"format":1,"version":4,"upstreams":[{"name":"u","algorithm":"round_robin","targets":[{"url":"http://a","weight":2}]}],"#
            + #""routes":[{"name":"r","hosts":[],"path_prefix":"/","methods":[],"strip_prefix":false,"upstream":"u","timeout_ms":30000,"max_body_bytes":1048576,"auth":"jwt","api_key_header":"X-API-Key","claims_to_headers":{}}],"#
            + #""tiers":[{"name":"t","requests_per_second":2.5,"burst":4,"requests_per_day":9},{"name":"p","requests_per_second":5,"burst":5}],"#
            + #""orgs":[],"consumers":[{"id":"c","tier":"t","org":"o"}],"api_keys":[],"#
            + #""jwt_keys":[{"kid":"k","alg":"HS256","secret":"+/+/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=","issuer":"i","audiences":[],"leeway_seconds":30}]}"#
        #expect(text(snapshot.canonicalJSON()) == expected)
    }

    @Test func decodingTheCanonicalFormGivesTheSameSnapshot() throws {
        let snapshots = [try ExampleSnapshotTests.example(), SnapshotValidationTests.valid(), Snapshot()]
        for snapshot in snapshots {
            let canonical = snapshot.canonicalJSON()
            #expect(try SnapshotDecoder.decodeAndValidate(canonical) == snapshot)
            #expect(try SnapshotDecoder.decodeAndValidate(snapshot.prettyJSON()) == snapshot)
            #expect(try SnapshotDecoder.decode(canonical).canonicalJSON() == canonical)
        }
    }

    @Test func equalSnapshotsHaveEqualBytesAndDifferentOnesDoNot() throws {
        let example = try ExampleSnapshotTests.example()
        let fromPretty = try SnapshotDecoder.decode(example.prettyJSON())
        #expect(fromPretty.canonicalJSON() == example.canonicalJSON())
        var changed = example
        changed.routes[0].timeoutMilliseconds += 1
        #expect(changed.canonicalJSON() != example.canonicalJSON())
    }

    @Test func prettyFormIsIndentedJSON() {
        let snapshot = Snapshot(version: 1, tiers: [TierConfig(name: "t", requestsPerSecond: 0.5)])
        let expected = """
        {
          "format": 1,
          "version": 1,
          "upstreams": [],
          "routes": [],
          "tiers": [
            {
              "name": "t",
              "requests_per_second": 0.5,
              "burst": 1
            }
          ],
          "orgs": [],
          "consumers": [],
          "api_keys": [],
          "jwt_keys": []
        }

        """
        #expect(text(snapshot.prettyJSON()) == expected)
    }

    @Test func entitiesEncodeAlone() throws {
        let upstream = UpstreamConfig(name: "u", targets: [TargetConfig(url: "http://[::1]:80")])
        #expect(text(upstream.canonicalJSON()) == #"{"name":"u","algorithm":"round_robin","targets":[{"url":"http://[::1]:80","weight":1}]}"#)
        #expect(try UpstreamConfig(json: upstream.jsonValue) == upstream)
        let key = JWTKeyConfig(kid: "e", alg: .edDSA, publicKeyPEM: "pem", audiences: ["a"], leewaySeconds: 0)
        #expect(text(key.canonicalJSON()) == #"{"kid":"e","alg":"EdDSA","public_key_pem":"pem","audiences":["a"],"leeway_seconds":0}"#)
    }
}
