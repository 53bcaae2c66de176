import SluiceConfig
import SluiceHTTP

extension ProxyStatus.Report {
    /// `GET /status`:
    /// `{"version":N|null,"generation":G,"source":"file:/abs/path","loaded_at":"RFC 3339 UTC"|null,
    /// "last_error":null|{"at":"RFC 3339 UTC","message":"...","problems":[{"pointer":"...","message":"..."}]},
    /// "workers":W}`, and with `--control-plane` also
    /// `"control_plane":{"url":"http://...","connected":bool,"last_contact":"RFC 3339 UTC"|null,"last_error":null|"..."}`
    /// (`source` is then `control-plane:URL` or `cache:/abs/path`).
    public var statusJSON: [UInt8] {
        var members: [JSONValue.Member] = [
            .init("version", version.map { .integer(Int64($0)) } ?? .null),
            .init("generation", .integer(Int64(generation))),
            .init("source", .string(source)),
            .init("loaded_at", loadedAt.map { .string(UTCTime(secondsSince1970: Int64($0)).rfc3339) } ?? .null),
            .init("last_error", lastError.map(\.json) ?? .null),
            .init("workers", .integer(Int64(workers))),
        ]
        if let link = controlPlane {
            members.append(.init("control_plane", .object([
                .init("url", .string(link.url)),
                .init("connected", .bool(link.connected)),
                .init("last_contact", link.lastContact.map { .string(UTCTime(secondsSince1970: Int64($0)).rfc3339) } ?? .null),
                .init("last_error", link.lastError.map { .string($0) } ?? .null),
            ])))
        }
        return JSONWriter.compact(.object(members))
    }

    /// `GET /ready`: `{"ready":true,"version":N}` once a config is loaded, else `{"ready":false}`.
    public var readyJSON: [UInt8] {
        guard let version else { return JSONWriter.compact(.object([.init("ready", .bool(false))])) }
        return JSONWriter.compact(.object([.init("ready", .bool(true)), .init("version", .integer(Int64(version)))]))
    }
}

extension ConfigLoadFailure {
    var json: JSONValue {
        .object([
            .init("at", .string(UTCTime(secondsSince1970: Int64(at)).rfc3339)),
            .init("message", .string(message)),
            .init("problems", .array(problems.map { problem in
                .object([.init("pointer", .string(problem.pointer)), .init("message", .string(problem.message))])
            })),
        ])
    }
}
