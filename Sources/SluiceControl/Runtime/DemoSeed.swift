import SluiceConfig

/// The `--demo` configuration: upstream `demo` (one target, the built-in demo upstream) and route
/// `demo` (`path_prefix: "/"`), published as version 1 with comment "demo" on a fresh database.
///
/// On an existing database nothing is re-seeded (what the user made is kept). The only change
/// ever made there: if upstream `demo` still exists and points at another address than this
/// session's demo upstream (its port moved because 9001 was taken), its target is repointed and
/// the working configuration published (comment "demo: upstream moved to URL").
public enum DemoSeed {
    public static let upstreamName = "demo"
    public static let routeName = "demo"
    static let actor = "demo"

    /// What `apply` did, for the log.
    public enum Outcome: Sendable, Equatable {
        case seeded(version: Int)
        case repointed(version: Int)
        case kept
    }

    public static func apply(to store: ControlPlaneStore, upstreamURL: String) throws(StoreError) -> Outcome {
        let upstream = JSONValue.object([
            .init("name", .string(upstreamName)),
            .init("targets", .array([.object([.init("url", .string(upstreamURL))])])),
        ])
        let latest = try store.latestVersion()
        let upstreams = try store.list(.upstreams, limit: 1, offset: 0).total
        let routes = try store.list(.routes, limit: 1, offset: 0).total
        if latest == 0 && upstreams == 0 && routes == 0 {
            _ = try store.create(.upstreams, json: upstream, actor: actor)
            let route = JSONValue.object([
                .init("name", .string(routeName)),
                .init("path_prefix", .string("/")),
                .init("upstream", .string(upstreamName)),
            ])
            _ = try store.create(.routes, json: route, actor: actor)
            return .seeded(version: try store.publish(comment: "demo", actor: actor).version.version)
        }
        // Only a single loopback target is taken for an earlier session's demo upstream; anything
        // else is the user's and stays.
        guard let existing = try store.get(.upstreams, upstreamName), let current = targetURLs(existing.json).first,
              targetURLs(existing.json).count == 1, current != upstreamURL, current.hasPrefix("http://127.0.0.1:") || current.hasPrefix("http://[::1]:") else {
            return .kept
        }
        _ = try store.replace(.upstreams, upstreamName, json: upstream, ifMatch: existing.etag, actor: actor)
        let result = try store.publish(comment: "demo: upstream moved to \(upstreamURL)", actor: actor)
        return .repointed(version: result.version.version)
    }

    /// The `url` of each target of an upstream's JSON.
    static func targetURLs(_ json: JSONValue) -> [String] {
        guard case .object(let members) = json,
              case .array(let targets)? = members.first(where: { $0.key == "targets" })?.value else { return [] }
        return targets.compactMap { target in
            guard case .object(let fields) = target,
                  case .string(let url)? = fields.first(where: { $0.key == "url" })?.value else { return nil }
            return url
        }
    }
}
