import Dispatch
import Synchronization
import Testing
import SluiceConfig
@testable import SluiceControl

@Suite struct DomainEntityTests {
    @Test func createGetListReplaceDelete() throws {
        let fixture = try StoreTestFixture()
        let created = try fixture.create(.upstreams, #"{"targets": [{"url": "http://127.0.0.1:9001"}], "name": "users"}"#)
        #expect(created.id == "users")
        // Stored and returned in canonical form: key order fixed, defaults written.
        #expect(String(decoding: JSONWriter.compact(created.json), as: UTF8.self)
                == #"{"name":"users","algorithm":"round_robin","targets":[{"url":"http://127.0.0.1:9001","weight":1}]}"#)
        #expect(created.etag.hasPrefix("\"") && created.etag.hasSuffix("\"") && created.etag.count == 66)
        #expect(try fixture.store.get(.upstreams, "users") == created)
        #expect(try fixture.store.get(.upstreams, "nobody") == nil)

        let replaced = try fixture.store.replace(
            .upstreams, "users", json: try json(#"{"name": "users", "targets": [{"url": "http://127.0.0.1:9002", "weight": 3}]}"#),
            ifMatch: created.etag, actor: "tok_a")
        #expect(replaced.etag != created.etag)
        #expect(try fixture.store.get(.upstreams, "users") == replaced)

        try fixture.store.delete(.upstreams, "users", ifMatch: nil, actor: "tok_a")
        #expect(try fixture.store.get(.upstreams, "users") == nil)
        #expect(try fixture.store.list(.upstreams, limit: 10, offset: 0) == EntityPage(items: [], total: 0))
    }

    @Test func listsInCreationOrderWithPagination() throws {
        let fixture = try StoreTestFixture()
        for name in ["c", "a", "b", "e", "d"] {
            try fixture.create(.tiers, #"{"name": "\#(name)", "requests_per_second": 1}"#)
        }
        let first = try fixture.store.list(.tiers, limit: 2, offset: 0)
        #expect(first.items.map(\.id) == ["c", "a"])
        #expect(first.total == 5)
        #expect(try fixture.store.list(.tiers, limit: 2, offset: 4).items.map(\.id) == ["d"])
        #expect(try fixture.store.list(.tiers, limit: 10, offset: 10).items.isEmpty)
        // Replacing keeps the position.
        _ = try fixture.store.replace(.tiers, "a", json: try json(#"{"name": "a", "requests_per_second": 2}"#),
                                      ifMatch: nil, actor: "t")
        #expect(try fixture.store.list(.tiers, limit: 10, offset: 0).items.map(\.id) == ["c", "a", "b", "e", "d"])
    }

    @Test func everyKindRoundTrips() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        let secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0hIQ=="
        try fixture.create(.jwtKeys, #"{"kid": "k1", "alg": "HS256", "secret": "\#(secret)"}"#)
        try fixture.create(.orgs, #"{"id": "acme-org", "requests_per_minute": 60}"#)
        for (kind, id) in [(EntityKind.upstreams, "users"), (.routes, "users-api"), (.tiers, "gold"),
                           (.consumers, "acme"), (.jwtKeys, "k1"), (.orgs, "acme-org")] {
            let entity = try #require(try fixture.store.get(kind, id))
            #expect(entity.json[kind.keyName] == .string(id))
        }
        #expect(EntityKind(pathName: "jwt-keys") == .jwtKeys)
        #expect(EntityKind.jwtKeys.collectionKey == "jwt_keys")
    }

    @Test func invalidEntitiesListEveryProblemWithPointers() throws {
        let fixture = try StoreTestFixture()
        let error = storeError {
            _ = try fixture.store.create(.upstreams, json: try! json(#"{"name": "bad name!", "targets": [{"url": "ftp://x"}]}"#),
                                         actor: "t")
        }
        let found = try #require(problems(error))
        #expect(found.contains { $0.pointer == "/name" })
        #expect(found.contains { $0.pointer == "/targets/0/url" })
        #expect(try fixture.store.list(.upstreams, limit: 10, offset: 0).total == 0)
    }

    @Test func referencesMustExist() throws {
        let fixture = try StoreTestFixture()
        let route = storeError { _ = try fixture.store.create(.routes, json: try! json(#"{"name": "r", "upstream": "ghost"}"#), actor: "t") }
        #expect(problems(route) == [ConfigProblem(pointer: "/upstream", message: "unknown upstream \"ghost\"")])
        let consumer = storeError { _ = try fixture.store.create(.consumers, json: try! json(#"{"id": "c", "tier": "ghost"}"#), actor: "t") }
        #expect(problems(consumer) == [ConfigProblem(pointer: "/tier", message: "unknown tier \"ghost\"")])
        try fixture.seed()
        let replace = storeError {
            _ = try fixture.store.replace(.routes, "users-api", json: try! json(#"{"name": "users-api", "upstream": "ghost"}"#),
                                          ifMatch: nil, actor: "t")
        }
        #expect(problems(replace)?.first?.pointer == "/upstream")
    }

    /// A body with a bad field and an unknown reference gets both problems in one answer, and a
    /// PUT whose body names another entity gets the key mismatch next to its other problems.
    @Test func referenceProblemsComeWithTheBodysOtherProblems() throws {
        let fixture = try StoreTestFixture()
        let route = storeError {
            _ = try fixture.store.create(.routes, json: try! json(#"{"name": "r", "path_prefix": "nope", "upstream": "ghost"}"#),
                                         actor: "t")
        }
        let found = try #require(problems(route))
        #expect(found.contains { $0.pointer == "/path_prefix" })
        #expect(found.contains(ConfigProblem(pointer: "/upstream", message: "unknown upstream \"ghost\"")))
        try fixture.seed()
        let replace = storeError {
            _ = try fixture.store.replace(.routes, "users-api", json: try! json(#"{"name": "other", "upstream": "ghost"}"#),
                                          ifMatch: nil, actor: "t")
        }
        let pointers = Set(try #require(problems(replace)).map(\.pointer))
        #expect(pointers == ["/name", "/upstream"])
    }

    @Test func takenNamesConflict() throws {
        let fixture = try StoreTestFixture()
        try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 1}"#)
        let error = storeError { _ = try fixture.store.create(.tiers, json: try! json(#"{"name": "gold", "requests_per_second": 2}"#), actor: "t") }
        #expect(error == .conflict("tier \"gold\" already exists"))
    }

    @Test func deletingSomethingReferencedConflictsAndSaysByWhat() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        #expect(storeError { try fixture.store.delete(.upstreams, "users", ifMatch: nil, actor: "t") }
                == .conflict("upstream \"users\" is used by route \"users-api\""))
        #expect(storeError { try fixture.store.delete(.tiers, "gold", ifMatch: nil, actor: "t") }
                == .conflict("tier \"gold\" is used by consumer \"acme\""))
        try fixture.store.delete(.routes, "users-api", ifMatch: nil, actor: "t")
        try fixture.store.delete(.upstreams, "users", ifMatch: nil, actor: "t")
        #expect(try fixture.store.get(.upstreams, "users") == nil)
    }

    @Test func missingEntitiesAreNotFound() throws {
        let fixture = try StoreTestFixture()
        #expect(storeError { try fixture.store.delete(.routes, "nope", ifMatch: nil, actor: "t") } == .notFound("route \"nope\""))
        #expect(storeError {
            _ = try fixture.store.replace(.tiers, "nope", json: try! json(#"{"name": "nope", "requests_per_second": 1}"#),
                                          ifMatch: nil, actor: "t")
        } == .notFound("tier \"nope\""))
    }

    @Test func aBodyWhoseKeyDiffersFromThePathIsInvalid() throws {
        let fixture = try StoreTestFixture()
        try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 1}"#)
        try fixture.create(.consumers, #"{"id": "acme", "tier": "gold"}"#)
        let error = storeError {
            _ = try fixture.store.replace(.consumers, "acme", json: try! json(#"{"id": "other", "tier": "gold"}"#), ifMatch: nil, actor: "t")
        }
        #expect(problems(error)?.map(\.pointer) == ["/id"])
        #expect(try fixture.store.get(.consumers, "other") == nil)
    }

    @Test func ifMatchMismatchIsPreconditionFailed() throws {
        let fixture = try StoreTestFixture()
        let created = try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 1}"#)
        let body = try json(#"{"name": "gold", "requests_per_second": 5}"#)
        let stale = storeError { _ = try fixture.store.replace(.tiers, "gold", json: body, ifMatch: "\"0000\"", actor: "t") }
        guard case .preconditionFailed? = stale else {
            Issue.record("expected preconditionFailed, got \(String(describing: stale))")
            return
        }
        guard case .preconditionFailed? = storeError({ try fixture.store.delete(.tiers, "gold", ifMatch: "W/\(created.etag)", actor: "t") }) else {
            Issue.record("a weak tag must not match (strong comparison)")
            return
        }
        guard case .preconditionFailed? = storeError({ try fixture.store.delete(.tiers, "ghost", ifMatch: "*", actor: "t") }) else {
            Issue.record("If-Match on a missing entity must fail the precondition")
            return
        }
        // A list containing the current tag matches; so does "*".
        let updated = try fixture.store.replace(.tiers, "gold", json: body, ifMatch: "\"x\", \(created.etag)", actor: "t")
        #expect(updated.json["requests_per_second"] == .integer(5) || updated.json["requests_per_second"] == .number(5))
        try fixture.store.delete(.tiers, "gold", ifMatch: "*", actor: "t")
    }

    @Test func concurrentWritersWithTheSameETagExactlyOneWins() throws {
        let fixture = try StoreTestFixture()
        let created = try fixture.create(.tiers, #"{"name": "gold", "requests_per_second": 1}"#)
        let writers = 8
        let outcomes = Mutex<[Bool]>([])
        let store = fixture.store
        let etag = created.etag
        DispatchQueue.concurrentPerform(iterations: writers) { index in
            let body = JSONValue.object([.init("name", .string("gold")), .init("requests_per_second", .integer(Int64(index + 2)))])
            let won: Bool
            do {
                _ = try store.replace(.tiers, "gold", json: body, ifMatch: etag, actor: "writer\(index)")
                won = true
            } catch {
                won = false
            }
            outcomes.withLock { $0.append(won) }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == writers)
        #expect(results.filter { $0 }.count == 1)
        #expect(try fixture.store.audit(limit: 100, offset: 0).filter { $0.action == "replace" }.count == 1)
    }

    @Test func deletingAConsumerDeletesItsAPIKeys() throws {
        let fixture = try StoreTestFixture()
        try fixture.seed()
        _ = try fixture.store.createAPIKey(consumerID: "acme", actor: "t")
        #expect(try fixture.store.apiKeys(consumerID: "acme").count == 1)
        try fixture.store.delete(.consumers, "acme", ifMatch: nil, actor: "t")
        #expect(try fixture.store.apiKeys().isEmpty)
    }
}
