import SluiceConfig

/// One entity collection of the admin API as sluicectl presents it: its command word and path,
/// the flags that build an object, and the table columns of `list`.
struct EntityCollection: Sendable {
    /// `upstreams`, `routes`, `tiers`, `orgs`, `consumers`, `jwt-keys`: the command word and the path segment.
    var command: String
    /// `upstream`, for messages.
    var singular: String
    /// `name`, `id` or `kid`.
    var identityKey: String
    var columns: [String]
    var row: @Sendable (JSONValue) -> [String]
    /// Takes this collection's field flags off the command line, as object members.
    var fields: @Sendable (inout ArgumentList) throws(SluicectlError) -> [JSONValue.Member]
    /// The `create`/`update` flags, for `--help`.
    var flagHelp: String

    var path: String { "/v1/\(command)" }

    func path(of identity: String) -> String { "\(path)/\(PathSegment.encode(identity))" }

    static let all: [EntityCollection] = [.upstreams, .routes, .tiers, .orgs, .consumers, .jwtKeys]

    static func named(_ command: String) -> EntityCollection? {
        all.first { $0.command == command }
    }
}
