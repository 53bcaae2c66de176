/// Where and how `sluice-proxy --control-plane URL` follows the control plane: the endpoint
/// (`http://HOST:PORT`, no TLS yet), the data-plane token (read at start, never on the command
/// line itself), this node's id, and the optional last-known-good cache directory.
public struct ControlPlaneSettings: Sendable, Equatable {
    /// The URL as given, without a trailing `/` (what `/status` shows).
    public var url: String
    public var host: String
    public var port: UInt16
    /// `--dataplane-token-file`; nil: the token comes from `SLUICE_DATAPLANE_TOKEN`.
    public var tokenFile: String?
    /// `--node-id`; nil: the host name (stable across restarts; give distinct ids to several
    /// data planes on one host).
    public var nodeID: String?
    /// `--cache-dir`; nil: no last-known-good cache.
    public var cacheDirectory: String?

    public init(url: String, host: String, port: UInt16, tokenFile: String? = nil, nodeID: String? = nil,
                cacheDirectory: String? = nil) {
        self.url = url
        self.host = host
        self.port = port
        self.tokenFile = tokenFile
        self.nodeID = nodeID
        self.cacheDirectory = cacheDirectory
    }

    /// Parses `http://HOST:PORT` (or `http://HOST`, port 80; a trailing `/` is allowed, no other
    /// path). Returns nil for anything else (https, a path, a bad port).
    public static func endpoint(_ text: String) -> (url: String, host: String, port: UInt16)? {
        guard text.hasPrefix("http://") else { return nil }
        var rest = Substring(text.dropFirst("http://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?") else { return nil }
        let host: Substring
        var port: UInt16 = 80
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = UInt16(after.dropFirst()), value > 0 else { return nil }
                port = value
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let value = UInt16(rest[rest.index(after: colon)...]), value > 0 else { return nil }
            port = value
        } else {
            host = rest
        }
        guard !host.isEmpty else { return nil }
        return ("http://" + rest, String(host), port)
    }
}
