import SluiceHTTP

/// Writes the request head sent upstream, from the client's parsed head (RFC 9110 §7.6):
///
/// - request line: the method as received, the path with the route's prefix stripped (`/` if
///   nothing is left) and the query byte for byte, `HTTP/1.1`;
/// - every end-to-end field line exactly as received (copied in runs), minus hop-by-hop ones (`Connection`, `Keep-Alive`,
///   `Proxy-Connection`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`, those named in
///   `Connection`) and `Expect` (answered by our server);
/// - `Host` as received, or the absolute-form authority, or the target's `host:port` if none;
/// - framing re-declared from the parsed framing, never copied: `Content-Length: n` or
///   `Transfer-Encoding: chunked` (the body is then re-chunked with our own chunk framing);
/// - `X-Forwarded-For` with the peer appended, `X-Forwarded-Proto: http`, `X-Forwarded-Host`,
///   `X-Request-Id` (incoming ones replaced);
/// - the gateway's identity fields: incoming `X-Consumer-Id`/`X-Consumer-Tier` (also spelt with
///   `_`) and every claim header name of the config (`strippedNames`, in `comparable` form) are
///   always removed, on every route, then
///   `identity` (complete field lines, possibly empty) is added, so an upstream can trust them.
///
/// Appends to `out` (the caller reuses its capacity); no `String`, no allocation beyond growth.
enum UpstreamRequestHead {
    static func write(_ head: HTTPRequestHead, bytes: UnsafeRawBufferPointer, stripLength: Int,
                      peer: [UInt8], requestID: [UInt8], defaultHost: [UInt8],
                      identity: [UInt8] = [], strippedNames: [[UInt8]] = [], to out: inout [UInt8]) {
        // Request line.
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[head.methodRange]))
        out.append(0x20)
        if head.targetForm == .asterisk {
            out.append(UInt8(ascii: "*"))
        } else {
            var path = head.pathRange
            if stripLength > 0, path.count >= stripLength { path = (path.lowerBound + stripLength)..<path.upperBound }
            if path.isEmpty { out.append(UInt8(ascii: "/")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[path]))
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[head.queryRange]))
        }
        appendStatic(" HTTP/1.1\r\n", to: &out)

        // Fields.
        let fields = head.fields
        let known = head.knownFields
        let absolute = head.targetForm == .absolute && !head.authorityRange.isEmpty
        var lastForwardedFor = -1
        var index = known.count - 1
        while index >= 0 {
            if known[index] == .xForwardedFor {
                lastForwardedFor = index
                break
            }
            index -= 1
        }
        // Kept field lines are copied as runs of raw bytes (the parser accepted only CRLF-ended
        // lines without obs-fold, RFC 9112 §5.2), one copy per run instead of four per field.
        var runStart = -1
        index = 0
        while index < fields.count {
            let field = fields[index]
            let keep: Bool
            switch known[index] {
            case .connection, .keepAlive, .proxyConnection, .te, .trailer, .transferEncoding, .upgrade,
                 .contentLength, .expect, .xForwardedProto, .xForwardedHost, .xRequestID, .xConsumerID, .xConsumerTier:
                keep = false
            case .host:
                keep = !absolute
            case .xForwardedFor:
                keep = index != lastForwardedFor
            case .other:
                keep = (!head.connectionNamesOtherFields
                    || !ConnectionFieldNames.lists(field.nameRange, fields: fields, known: known, in: bytes))
                    && (strippedNames.isEmpty || !names(strippedNames, contain: field.nameRange, in: bytes))
            default:
                keep = true
            }
            if keep {
                if runStart < 0 { runStart = Int(field.nameStart) }
            } else if runStart >= 0 {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<Int(field.nameStart)]))
                runStart = -1
            }
            if index == lastForwardedFor {
                appendStatic("X-Forwarded-For: ", to: &out)
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[field.valueRange]))
                appendStatic(", ", to: &out)
                out.append(contentsOf: peer)
                appendStatic("\r\n", to: &out)
            }
            index += 1
        }
        if runStart >= 0 {
            // The last field line ends where the empty line ending the head starts.
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<(head.headLength - 2)]))
        }

        var hostValue = 0..<0
        if absolute {
            hostValue = head.authorityRange
        } else if let hostIndex = head.hostFieldIndex {
            hostValue = fields[hostIndex].valueRange
        }
        if absolute {
            appendStatic("Host: ", to: &out)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[hostValue]))
            appendStatic("\r\n", to: &out)
        } else if head.hostFieldIndex == nil {
            appendStatic("Host: ", to: &out)
            out.append(contentsOf: defaultHost)
            appendStatic("\r\n", to: &out)
        }
        switch head.framing {
        case .contentLength(let length):
            HTTPHeadWriter.appendContentLength(length, to: &out)
        case .chunked:
            appendStatic("Transfer-Encoding: chunked\r\n", to: &out)
        case .none, .untilClose:
            break
        }
        // The added fields, with their literals merged so the tail is a handful of copies.
        if lastForwardedFor < 0 {
            appendStatic("X-Forwarded-For: ", to: &out)
            out.append(contentsOf: peer)
            appendStatic("\r\nX-Forwarded-Proto: http\r\n", to: &out)
        } else {
            appendStatic("X-Forwarded-Proto: http\r\n", to: &out)
        }
        if !hostValue.isEmpty {
            appendStatic("X-Forwarded-Host: ", to: &out)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[hostValue]))
            appendStatic("\r\nX-Request-Id: ", to: &out)
        } else {
            appendStatic("X-Request-Id: ", to: &out)
        }
        out.append(contentsOf: requestID)
        appendStatic("\r\n", to: &out)
        out.append(contentsOf: identity)
        appendStatic("\r\n", to: &out)
    }

    /// Whether the field name `bytes[name]` is one of `names` (each in `comparable` form):
    /// compared as servers do, ignoring ASCII case and reading `_` as `-` on both sides.
    static func names(_ names: [[UInt8]], contain name: Range<Int>, in bytes: UnsafeRawBufferPointer) -> Bool {
        outer: for candidate in names where candidate.count == name.count {
            var offset = 0
            while offset < candidate.count {
                if comparable(bytes[name.lowerBound + offset]) != candidate[offset] { continue outer }
                offset += 1
            }
            return true
        }
        return false
    }

    /// A field-name byte as servers compare names: `A`–`Z` lowercased, `_` read as `-` (CGI-style
    /// servers map both to one variable), everything else as it is; bytewise twin of
    /// `HeaderNameSyntax.comparableName`, which makes `strippedNames`.
    @inline(__always)
    static func comparable(_ byte: UInt8) -> UInt8 {
        if byte == UInt8(ascii: "_") { return UInt8(ascii: "-") }
        if byte >= 0x41 && byte <= 0x5A { return byte | 0x20 }
        return byte
    }

    @inline(__always)
    static func appendStatic(_ literal: StaticString, to out: inout [UInt8]) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
