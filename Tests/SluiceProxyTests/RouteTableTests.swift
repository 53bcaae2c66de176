import Testing
import SluiceHTTP
@testable import SluiceProxy

@Suite struct RouteTableTests {
    static func lookup(_ table: RouteTable, _ method: String, _ host: String, _ path: String) -> RouteLookup {
        let methodBytes = Array(method.utf8)
        let known = RouteTableBuilder.knownMethod(method) ?? .other
        return methodBytes.withUnsafeBytes { m in
            Array(host.utf8).withUnsafeBytes { h in
                Array(path.utf8).withUnsafeBytes { p in
                    table.lookup(method: known, methodBytes: m, host: h, path: p)
                }
            }
        }
    }

    static let specs: [RouteSpec] = [
        RouteSpec(pathPrefix: "/"),                                                  // 0
        RouteSpec(pathPrefix: "/api"),                                               // 1
        RouteSpec(pathPrefix: "/api/users", methods: ["GET", "POST"]),               // 2
        RouteSpec(pathPrefix: "/api/users", methods: ["PURGE"]),                     // 3
        RouteSpec(hosts: ["example.com"], pathPrefix: "/"),                          // 4
        RouteSpec(hosts: ["*.example.com"], pathPrefix: "/"),                        // 5
        RouteSpec(hosts: ["*.api.example.com"], pathPrefix: "/v1"),                  // 6
        RouteSpec(hosts: ["Shop.Example.com"], pathPrefix: "/cart/"),                // 7
        RouteSpec(pathPrefix: "/only-get", methods: ["GET"]),                        // 8
        RouteSpec(pathPrefix: "/mixed", methods: ["DELETE"]),                        // 9
        RouteSpec(pathPrefix: "/mixed"),                                             // 10
    ]

    @Test(arguments: [
        // method, host, path, expected route (-1: 404)
        ("GET", "any.host", "/", 0),
        ("GET", "any.host", "/x", 0),
        ("GET", "any.host", "/api", 1),
        ("GET", "any.host", "/api/", 1),
        ("GET", "any.host", "/api/x", 1),
        ("GET", "any.host", "/apix", 0),
        ("GET", "any.host", "/api/users", 2),
        ("POST", "any.host", "/api/users/42", 2),
        ("PURGE", "any.host", "/api/users", 3),
        ("GET", "any.host", "/api/usersx", 1),
        ("GET", "example.com", "/anything", 4),
        ("GET", "EXAMPLE.com:8080", "/", 4),
        ("GET", "example.com.", "/", 4),
        ("GET", "a.example.com", "/", 5),
        ("GET", "a.b.example.com", "/z", 5),
        ("GET", "x.api.example.com", "/v1/q", 6),
        ("GET", "x.api.example.com", "/v2", 0),            // longest wildcard has no /v2: any-host routes
        ("GET", "api.example.com", "/v1", 5),              // *.api.example.com needs a label before
        ("GET", "shop.example.com", "/cart", 7),           // exact beats wildcard
        ("GET", "shop.example.com", "/other", 5),          // exact group has no /other: wildcard
        ("GET", "badexample.com", "/", 0),                 // not a subdomain
        ("GET", "", "/api/z", 1),
        ("DELETE", "h", "/mixed", 9),                      // listed method beats any-method
        ("GET", "h", "/mixed/a", 10),
        ("PURGE", "h", "/mixed", 10),
    ])
    func precedence(method: String, host: String, path: String, expected: Int) {
        let table = RouteTableBuilder.build(Self.specs)
        let result = Self.lookup(table, method, host, path)
        #expect(result == (expected >= 0 ? .matched(expected) : .notFound), "\(method) \(host) \(path)")
    }

    @Test func methodNotAllowedListsTheAllowedMethods() {
        let table = RouteTableBuilder.build(Self.specs)
        #expect(Self.lookup(table, "PUT", "h", "/api/users") == .methodNotAllowed(allow: Array("GET, POST, PURGE".utf8)))
        #expect(Self.lookup(table, "POST", "h", "/only-get/x") == .methodNotAllowed(allow: Array("GET".utf8)))
    }

    @Test func noRoutesAndNoMatchingHostAreNotFound() {
        let empty = RouteTableBuilder.build([])
        #expect(Self.lookup(empty, "GET", "h", "/") == .notFound)
        let hostOnly = RouteTableBuilder.build([RouteSpec(hosts: ["a.test"], pathPrefix: "/api")])
        #expect(Self.lookup(hostOnly, "GET", "b.test", "/api") == .notFound)
        #expect(Self.lookup(hostOnly, "GET", "a.test", "/") == .notFound)
        #expect(Self.lookup(hostOnly, "GET", "a.test", "/api/v") == .matched(0))
    }

    @Test func lookupFromAParsedHeadUsesAbsoluteFormAuthority() throws {
        let table = RouteTableBuilder.build([RouteSpec(hosts: ["a.test"], pathPrefix: "/x"),
                                             RouteSpec(hosts: ["b.test"], pathPrefix: "/x")])
        let request = Array("GET http://b.test:81/x/y?q=1 HTTP/1.1\r\nHost: a.test\r\n\r\n".utf8)
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        let result = request.withUnsafeBytes { parser.parse($0) }
        #expect(result == .complete(consumed: request.count))
        let found = request.withUnsafeBytes { table.lookup(parser.head, bytes: $0) }
        #expect(found == .matched(1))
    }

    /// 10,000 routes: every one is found, and a lookup walks the same few nodes as with one route.
    @Test func tenThousandRoutesAreAllFoundCorrectly() {
        var specs: [RouteSpec] = []
        for index in 0..<10_000 {
            specs.append(RouteSpec(hosts: index % 2 == 0 ? [] : ["h\(index).test"], pathPrefix: "/svc\(index)/v1"))
        }
        let big = RouteTableBuilder.build(specs)
        let small = RouteTableBuilder.build([RouteSpec(pathPrefix: "/svc0/v1")])
        #expect(Self.lookup(small, "GET", "x", "/svc0/v1/items") == .matched(0))
        for index in stride(from: 0, to: 10_000, by: 7) {
            let host = index % 2 == 0 ? "anything" : "h\(index).test"
            #expect(Self.lookup(big, "GET", host, "/svc\(index)/v1/items?x") == .matched(index))
            #expect(Self.lookup(big, "GET", host, "/svc\(index)/v2") == .notFound)
        }
        #expect(big.routeCount == 10_000)
    }
}
