import Testing
@testable import SluiceHTTP

@Suite struct SocketAddressTests {
    @Test func parsesIPv4() throws {
        let address = try SocketAddress(parsing: "127.0.0.1:8080")
        #expect(address.family == .ipv4)
        #expect(address.port == 8080)
        #expect(address.description == "127.0.0.1:8080")
    }

    @Test func parsesBracketedIPv6() throws {
        let address = try SocketAddress(parsing: "[::1]:443")
        #expect(address.family == .ipv6)
        #expect(address.port == 443)
        #expect(address.description == "[::1]:443")
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "::1:80", "[::1]80", ":80", "1.2.3.4:8x", "[::1:80"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: SocketAddressError.self) { try SocketAddress(parsing: text) }
    }

    @Test func numericParseDoesNotResolveNames() {
        #expect(throws: SocketAddressError.self) { try SocketAddress(parsing: "localhost:80") }
    }

    @Test func resolvesLocalhost() throws {
        let addresses = try SocketAddress.resolve("localhost:8081")
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.port == 8081 })
    }
}
