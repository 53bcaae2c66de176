import SluiceHTTP

/// Where the admin API is: parsed from `--server` / `SLUICE_SERVER` (`http://HOST[:PORT][/]`).
/// Only `http://` for now; HOST is numeric (`127.0.0.1`, `[::1]`) or a name such as `localhost`.
struct ServerAddress {
    /// `HOST:PORT` as written in the `Host` header.
    var authority: String
    var addresses: [SocketAddress]
    /// The URL as given, for error messages.
    var text: String

    static let defaultURL = "http://127.0.0.1:9901"

    init(parsing text: String) throws(SluicectlError) {
        self.text = text
        guard text.hasPrefix("http://") else {
            if text.hasPrefix("https://") { throw .usage("https:// is not supported yet; use http://") }
            throw .usage("server URL must start with http:// (got \"\(text)\")")
        }
        var rest = Substring(text.dropFirst("http://".count))
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else {
            throw .usage("server URL must be http://HOST[:PORT] (got \"\(text)\")")
        }
        let hasPort: Bool
        if rest.hasPrefix("[") {
            hasPort = rest.contains("]:")
        } else {
            hasPort = rest.contains(":")
        }
        authority = hasPort ? String(rest) : "\(rest):80"
        do {
            addresses = try SocketAddress.resolve(authority)
        } catch {
            throw .usage("bad server URL \"\(text)\": \(error)")
        }
    }
}
