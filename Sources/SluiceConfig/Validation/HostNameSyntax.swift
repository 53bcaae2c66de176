/// DNS host name syntax (RFC 1123 §2.1): dot-separated labels of letters, digits and hyphens,
/// 1…63 bytes each, not starting or ending with a hyphen, 253 bytes in all. A final dot is not
/// allowed (hosts are compared exactly). Target hosts may also contain `_`, which resolvers
/// accept and container platforms use in service names.
enum HostNameSyntax {
    static func isHostName<Bytes: Collection<UInt8>>(_ bytes: Bytes, allowUppercase: Bool,
                                                     allowUnderscore: Bool = false) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "."):
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            case UInt8(ascii: "-"):
                guard labelLength > 0 else { return false }
                labelLength += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                labelLength += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                guard allowUppercase else { return false }
                labelLength += 1
            case UInt8(ascii: "_"):
                guard allowUnderscore else { return false }
                labelLength += 1
            default:
                return false
            }
            guard labelLength <= 63 else { return false }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    /// The problem with a route's host pattern (`api.example.com`, `*.example.com`), or nil.
    static func routeHostProblem(_ pattern: String) -> String? {
        let bytes = pattern.utf8
        if bytes.contains(UInt8(ascii: ":")) { return "hosts must not contain a port" }
        var name = bytes[...]
        if bytes.starts(with: "*.".utf8) {
            name = bytes.dropFirst(2)
        } else if bytes.contains(UInt8(ascii: "*")) {
            return "a wildcard host must have the form *.suffix"
        }
        if name.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
           isHostName(name, allowUppercase: true) {
            return "hosts must be lowercase"
        }
        return isHostName(name, allowUppercase: false) ? nil : "invalid host name"
    }
}
