import Testing
import SluiceHTTP
@testable import SluiceProxy

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::1", "::1"), ("::", "::"), ("2001:DB8::1", "2001:db8::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("fe80::", "fe80::"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("::ffff:192.0.2.1", "192.0.2.1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"), ("1::", "1::"),
    ])
    func parsesAndPrints(_ text: String, _ canonical: String) throws {
        let address = try #require(IPAddress(text: text))
        #expect(address.description == canonical)
        #expect(IPAddress(text: canonical) == address)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4:80",
                      "[::1]", "::1%eth0", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                      "12345::", "g::", "1:", ":1", "::1.2.3", "unknown", "1:2:3:4:5:6:7::8:9", "1:2:3:4:5:6:7:1.2.3.4"])
    func refuses(_ text: String) {
        #expect(IPAddress(text: text) == nil)
    }

    @Test func ipv4IsMapped() throws {
        let address = try #require(IPAddress(text: "10.1.2.3"))
        #expect(address.isIPv4)
        #expect(address.bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 1, 2, 3])
        #expect(try #require(IPAddress(text: "::1")).isIPv4 == false)
    }
}

@Suite struct CIDRBlockTests {
    @Test func containment() throws {
        let block = try #require(CIDRBlock(text: "10.0.0.0/8"))
        #expect(block.contains(try #require(IPAddress(text: "10.255.1.2"))))
        #expect(!block.contains(try #require(IPAddress(text: "11.0.0.1"))))
        #expect(!block.contains(try #require(IPAddress(text: "::a00:1"))))
        let v6 = try #require(CIDRBlock(text: "2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress(text: "2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress(text: "2001:db9::1"))))
        let all = try #require(CIDRBlock(text: "0.0.0.0/0"))
        #expect(all.contains(try #require(IPAddress(text: "203.0.113.9"))))
        #expect(!all.contains(try #require(IPAddress(text: "2001:db8::1"))))
        let single = try #require(CIDRBlock(text: "127.0.0.1"))
        #expect(single.contains(try #require(IPAddress(text: "127.0.0.1"))))
        #expect(!single.contains(try #require(IPAddress(text: "127.0.0.2"))))
        #expect(block.description == "10.0.0.0/8")
        #expect(v6.description == "2001:db8::/32")
    }

    @Test(arguments: ["10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "::/129", "x/8", "10.0.0.0/+8"])
    func refuses(_ text: String) {
        #expect(CIDRBlock(text: text) == nil)
    }
}

@Suite struct TrustedProxiesTests {
    /// Parses a request with `fields` and asks `proxies` for the client of `peer`.
    static func client(_ proxies: TrustedProxies, peer: String, fields: [String]) throws -> String {
        var text = "GET / HTTP/1.1\r\nHost: a\r\n"
        for field in fields { text += field + "\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8)
        var parser = HTTP1RequestParser(limits: HTTPLimits())
        let peerAddress = try #require(IPAddress(text: peer))
        return bytes.withUnsafeBytes { raw in
            guard case .complete = parser.parse(raw) else {
                Issue.record("head did not parse")
                return ""
            }
            return proxies.client(peer: peerAddress, head: parser.head, bytes: raw).description
        }
    }

    @Test func untrustedPeerIsTheClient() throws {
        let none = TrustedProxies()
        #expect(try Self.client(none, peer: "198.51.100.7", fields: ["X-Forwarded-For: 1.2.3.4"]) == "198.51.100.7")
        let some = try TrustedProxies(list: "10.0.0.0/8")
        #expect(try Self.client(some, peer: "198.51.100.7", fields: ["X-Forwarded-For: 1.2.3.4"]) == "198.51.100.7")
    }

    @Test func walksPastTrustedHops() throws {
        let proxies = try TrustedProxies(list: "10.0.0.0/8, 192.168.0.0/16 ,::1")
        #expect(try Self.client(proxies, peer: "10.0.0.1", fields: ["X-Forwarded-For: 6.6.6.6, 203.0.113.5, 192.168.1.1"]) == "203.0.113.5")
        // Several field lines are one list (RFC 9110 §5.3): the last line is the nearest hop.
        #expect(try Self.client(proxies, peer: "::1", fields: ["X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 203.0.113.9,10.2.2.2"]) == "203.0.113.9")
        // Everything trusted: the leftmost address.
        #expect(try Self.client(proxies, peer: "10.0.0.1", fields: ["X-Forwarded-For: 10.9.9.9, 10.1.1.1"]) == "10.9.9.9")
        // No header: the trusted peer itself.
        #expect(try Self.client(proxies, peer: "10.0.0.1", fields: []) == "10.0.0.1")
        // Garbage stops at the hop that wrote it.
        #expect(try Self.client(proxies, peer: "10.0.0.1", fields: ["X-Forwarded-For: 1.1.1.1, unknown, 10.3.3.3"]) == "10.3.3.3")
        // Empty elements are skipped; IPv6 elements parse.
        #expect(try Self.client(proxies, peer: "10.0.0.1", fields: ["X-Forwarded-For: 2001:db8::5 , ,"]) == "2001:db8::5")
    }

    @Test func listErrorsNameTheElement() {
        #expect(throws: TrustedProxiesError(element: "10.0.0.300")) { try TrustedProxies(list: "10.0.0.0/8,10.0.0.300") }
    }
}
