import Dispatch
import Testing
import SluiceConfig
import SluicePolicy
import SluiceHTTP
@testable import SluiceProxy

@Suite struct ConfigCompilerTests {
    static func snapshot(version: Int = 1, targets: [TargetConfig] = [TargetConfig(url: "http://127.0.0.1:8081", weight: 2),
                                                                         TargetConfig(url: "http://[::1]:8082")],
                         routes: [RouteConfig]? = nil) -> Snapshot {
        Snapshot(version: version,
                 upstreams: [UpstreamConfig(name: "users", targets: targets)],
                 routes: routes ?? [RouteConfig(name: "users-api", pathPrefix: "/api/users/", methods: ["GET"],
                                                stripPrefix: true, upstream: "users", timeoutMilliseconds: 1500,
                                                maxBodyBytes: 4096)])
    }

    @Test func compilesRoutesUpstreamsAndSettings() throws {
        let config = try ConfigCompiler.compile(Self.snapshot(version: 7))
        #expect(config.version == 7)
        #expect(config.upstreams.count == 1)
        #expect(config.upstreams[0].targets == [UpstreamTarget(host: "127.0.0.1", port: 8081), UpstreamTarget(host: "::1", port: 8082)])
        #expect(config.upstreams[0].weights == [2, 1])
        #expect(config.upstreams[0].hostFieldValues == [Array("127.0.0.1:8081".utf8), Array("[::1]:8082".utf8)])
        let route = config.routes[0]
        #expect(route.upstreamIndex == 0)
        #expect(route.stripLength == "/api/users".utf8.count)
        #expect(route.timeoutNanoseconds == 1_500_000_000)
        #expect(route.maxBodyBytes == 4096)
        #expect(RouteTableTests.lookup(config.routeTable, "GET", "h", "/api/users/1") == .matched(0))
        #expect(RouteTableTests.lookup(config.routeTable, "POST", "h", "/api/users") == .methodNotAllowed(allow: Array("GET".utf8)))
    }

    /// Only the data plane loads keys with OpenSSL: a PEM-shaped block that is not a key passes
    /// the control plane's checks and must refuse the version here, at its pointer.
    @Test func aJWTKeyOpenSSLRejectsRefusesTheVersion() throws {
        var snapshot = Self.snapshot()
        snapshot.jwtKeys = [JWTKeyConfig(kid: "k1", alg: .rs256,
                                         publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApHPguseeL2pTe+8EmlDO\n-----END PUBLIC KEY-----\n")]
        #expect(snapshot.validate().isEmpty)
        do {
            _ = try ConfigCompiler.compile(snapshot)
            Issue.record("a version with an unreadable key compiled")
        } catch {
            #expect(error.problems.map(\.pointer) == ["/jwt_keys/0/public_key_pem"])
            #expect(error.problems.first?.message.hasPrefix("OpenSSL cannot read this public key for RS256") == true)
        }
    }

    /// Keys given as JWK load through OpenSSL like PEM ones; HMAC secrets give an `oct` key.
    @Test func jwkAndSecretKeysCompileIntoTheKeySet() throws {
        let signer = try JWTSigner(generating: .es256)
        guard let jwk = signer.publicJWK else {
            Issue.record("no JWK for the generated key")
            return
        }
        var snapshot = Self.snapshot()
        snapshot.jwtKeys = [JWTKeyConfig(kid: "ec", alg: .es256, jwk: jwk),
                            JWTKeyConfig(kid: "hs", alg: .hs256, secret: [UInt8](repeating: 7, count: 32))]
        #expect(snapshot.validate().isEmpty)
        let config = try ConfigCompiler.compile(snapshot)
        #expect(config.policy.keySet.keys.map(\.kid) == ["ec", "hs"])
        let token = signer.token(header: #"{"alg":"ES256","kid":"ec"}"#, payload: #"{"sub":"a"}"#)
        let verifier = JWTVerifier(keySet: config.policy.keySet)
        #expect(try verifier.verify(token, now: 0).subject == "a")
    }

    @Test func rootPrefixNeverStrips() throws {
        let config = try ConfigCompiler.compile(Self.snapshot(routes: [RouteConfig(name: "all", stripPrefix: true, upstream: "users")]))
        #expect(config.routes[0].stripLength == 0)
    }

    @Test func invalidSnapshotReportsValidationProblems() {
        let bad = Snapshot(upstreams: [], routes: [RouteConfig(name: "r", upstream: "missing")])
        #expect(throws: ConfigCompileError.self) { try ConfigCompiler.compile(bad) }
        do {
            _ = try ConfigCompiler.compile(bad)
        } catch {
            #expect(error.problems.contains { $0.pointer == "/routes/0/upstream" })
        }
    }

    @Test func unresolvableHostIsAnErrorNamingThePointer() {
        let snapshot = Self.snapshot(targets: [TargetConfig(url: "http://127.0.0.1:1"), TargetConfig(url: "http://backend.invalid:80")])
        do {
            // Numeric parsing only: the name cannot resolve.
            _ = try ConfigCompiler.compile(snapshot) { (text: String) throws(SocketAddressError) in
                [try SocketAddress(parsing: text)]
            }
            Issue.record("compiled an unresolvable target")
        } catch {
            #expect(error.problems.map(\.pointer) == ["/upstreams/0/targets/1/url"])
        }
    }

    @Test func namesResolveThroughTheResolver() throws {
        let snapshot = Self.snapshot(targets: [TargetConfig(url: "http://backend.test:9000")])
        let config = try ConfigCompiler.compile(snapshot) { (text: String) throws(SocketAddressError) in
            #expect(text == "backend.test:9000")
            return [try SocketAddress(parsing: "10.1.2.3:9000")]
        }
        #expect(config.upstreams[0].targets == [UpstreamTarget(host: "10.1.2.3", port: 9000)])
        #expect(config.upstreams[0].hostFieldValues == [Array("backend.test:9000".utf8)])
    }

    @Test func storeReadersSeeANewGenerationOnce() throws {
        let store = ConfigStore()
        let reader = ConfigStore.Reader(store: store)
        #expect(reader.refresh() == false)
        #expect(reader.config == nil)
        let first = try ConfigCompiler.compile(Self.snapshot(version: 1))
        store.publish(first)
        #expect(reader.refresh() == true)
        #expect(reader.config === first)
        #expect(reader.refresh() == false)
        let second = try ConfigCompiler.compile(Self.snapshot(version: 2))
        store.publish(second)
        #expect(store.generation == 2)
        #expect(store.current === second)
        #expect(reader.config === first) // a request in flight keeps what it had
        #expect(reader.refresh() == true)
        #expect(reader.config?.version == 2)
    }

    /// Publishing from one thread while readers poll from others: every reader ends on the last config.
    @Test func concurrentPublishAndRefresh() throws {
        let configs = try (1...50).map { try ConfigCompiler.compile(Self.snapshot(version: $0)) }
        let store = ConfigStore(configs[0])
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                let reader = ConfigStore.Reader(store: store)
                var last = 0
                while last < 50 {
                    _ = reader.refresh()
                    let version = reader.config?.version ?? 0
                    precondition(version >= last)
                    last = version
                }
                group.leave()
            }
        }
        for config in configs.dropFirst() { store.publish(config) }
        #expect(group.wait(timeout: .now() + 10) == .success)
    }
}
