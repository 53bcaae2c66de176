/// DNS host name syntax (RFC 1123 §2.1): dot-separated labels of letters, digits and hyphens,
/// 1…63 bytes each, not starting or ending with a hyphen, 253 bytes in all. A final dot is not
/// allowed (hosts are compared exactly).
enum HostNameSyntax {
    static func isHostName(_ bytes: ArraySlice<UInt8>, allowUppercase: Bool) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"),
                  label.last != UInt8(ascii: "-") else { return false }
            return label.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                    true
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): allowUppercase
                default: false
                }
            }
        }
    }

    /// The problem with a route's host pattern (`api.example.com`, `*.example.com`), or nil.
    static func routeHostProblem(_ pattern: String) -> String? {
        let bytes = Array(pattern.utf8)
        if bytes.contains(UInt8(ascii: ":")) { return "hosts must not contain a port" }
        var name = bytes[...]
        if bytes.starts(with: Array("*.".utf8)) {
            name = bytes[2...]
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
