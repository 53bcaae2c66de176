/// Syntax rules for single snapshot fields. Each returns the problem's message, or nil when the
/// value is fine. Messages never quote secrets.
enum FieldSyntax {
    static let maximumNameLength = 64
    static let maximumTextLength = 256
    static let maximumPathPrefixLength = 2048
    static let maximumMethodLength = 32

    /// Upstream, route and tier names: `[A-Za-z0-9._-]{1,64}` (safe in URLs, logs and headers).
    static func nameProblem(_ name: String) -> String? {
        let bytes = name.utf8
        if bytes.isEmpty { return "name must not be empty" }
        if bytes.count > maximumNameLength { return "name must be at most \(maximumNameLength) characters" }
        let valid = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        return valid ? nil : "name may contain only letters, digits, '.', '_' and '-'"
    }

    /// Consumer ids, orgs, kids, issuers, audiences: 1…256 characters, no control characters.
    static func textProblem(_ text: String, what: String) -> String? {
        if text.isEmpty { return "\(what) must not be empty" }
        if text.count > maximumTextLength { return "\(what) must be at most \(maximumTextLength) characters" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }) {
            return "\(what) must not contain control characters"
        }
        return nil
    }

    /// A route's `path_prefix`: an absolute path of RFC 3986 `pchar`s (§3.3), without `//`, `.`
    /// or `..` segments, query or fragment. A trailing `/` (other than the root) is allowed only
    /// before normalisation (`allowTrailingSlash`). One pass, no allocation.
    static func pathPrefixProblem(_ prefix: String, allowTrailingSlash: Bool = false) -> String? {
        let bytes = prefix.utf8
        guard bytes.first == UInt8(ascii: "/") else { return "path_prefix must start with '/'" }
        if bytes.count > maximumPathPrefixLength {
            return "path_prefix must be at most \(maximumPathPrefixLength) bytes"
        }
        if bytes.count == 1 { return nil }
        var segmentLength = 0
        var segmentDots = 0
        var pendingHex = 0
        var problem: String?
        for byte in bytes.dropFirst() {
            if pendingHex > 0 {
                guard isHex(byte) else { return "path_prefix has an invalid percent-encoding" }
                pendingHex -= 1
                segmentLength += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "/"):
                if segmentLength == 0 { problem = problem ?? "path_prefix must not contain '//'" }
                if segmentLength == segmentDots && segmentDots <= 2 && segmentLength > 0 {
                    problem = problem ?? "path_prefix must not contain '.' or '..' segments"
                }
                segmentLength = 0
                segmentDots = 0
                continue
            case UInt8(ascii: "?"), UInt8(ascii: "#"):
                return "path_prefix must not contain '?' or '#'"
            case UInt8(ascii: "%"):
                pendingHex = 2
            case UInt8(ascii: "."):
                segmentDots += 1
            default:
                if !isPathByte(byte) { return "path_prefix contains a character that must be percent-encoded" }
            }
            segmentLength += 1
        }
        if pendingHex > 0 { return "path_prefix has an invalid percent-encoding" }
        if let problem { return problem }
        if segmentLength == 0 {
            return allowTrailingSlash ? nil : "path_prefix must not end with '/'"
        }
        if segmentLength == segmentDots && segmentDots <= 2 {
            return "path_prefix must not contain '.' or '..' segments"
        }
        return nil
    }

    /// A method token (RFC 9110 §9.1, tchar) in uppercase.
    static func methodProblem(_ method: String) -> String? {
        let bytes = method.utf8
        if bytes.isEmpty || bytes.count > maximumMethodLength {
            return "method must be 1…\(maximumMethodLength) characters"
        }
        if bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            return "method must be uppercase"
        }
        // Lowercase letters were refused above, so a token byte here is an uppercase method's.
        return bytes.allSatisfy(HeaderNameSyntax.isTokenByte) ? nil : "method must be an HTTP token"
    }

    /// A PEM `PUBLIC KEY` block (RFC 7468 §13): the labels, and base64 lines between them.
    static func publicKeyPEMProblem(_ pem: String) -> String? {
        let begin = "-----BEGIN PUBLIC KEY-----"
        let end = "-----END PUBLIC KEY-----"
        let lines = pem.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }.filter { !$0.allSatisfy(\.isWhitespace) }
        guard lines.first == begin, lines.last == end, lines.count >= 3 else {
            return "public_key_pem must be a PEM block from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----"
        }
        let body = lines.dropFirst().dropLast().joined()
        guard let der = Base64.decode(body), der.count >= 32, body.utf8.allSatisfy({ $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") }) else {
            return "public_key_pem does not contain a valid base64 key"
        }
        return der.first == 0x30 ? nil : "public_key_pem does not contain a DER SubjectPublicKeyInfo"
    }

    /// True when `values[index]` equals an earlier element. Lists are short (hosts, methods):
    /// a linear scan, so the whole check is quadratic only in a list's own length, which
    /// `maximumListLength` bounds.
    static func repeatsEarlier(_ values: [String], at index: Int) -> Bool {
        values[..<index].contains(values[index])
    }

    /// The most hosts or methods a route may list.
    static let maximumListLength = 256

    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// RFC 3986 `pchar` minus `%` (checked separately), plus `/`.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
             UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
             UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
