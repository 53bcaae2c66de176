/// What the snapshot's entity kinds (upstreams, routes, tiers, orgs, consumers, API keys, JWT
/// keys) share, for the admin API's per-entity endpoints and for diffs.
public protocol SnapshotEntity: Sendable, Equatable {
    /// The snapshot member holding this kind: `upstreams`, `routes`, `tiers`, `orgs`, `consumers`,
    /// `api_keys`, `jwt_keys`.
    static var collectionKey: String { get }
    /// The field that identifies an entity: `name`, `id` or `kid`.
    static var identityKey: String { get }
    /// This entity's name, id or kid.
    var identity: String { get }
    /// The canonical JSON object: fixed key order, defaulted fields written, absent optionals omitted.
    var jsonValue: JSONValue { get }
    /// Decodes one entity's JSON object and checks its own fields (not references to other
    /// entities), reporting every problem with pointers relative to the object (`/targets/0/url`).
    init(json: JSONValue) throws(ConfigError)
    /// Problems with this entity alone, with pointers under `pointer`.
    func problems(at pointer: String) -> [ConfigProblem]
}

extension SnapshotEntity {
    /// Decodes with `decode` at the root, then throws every problem found.
    static func decodeAlone(
        _ json: JSONValue,
        _ decode: (JSONValue, String, inout ConfigDecoding) -> Self?
    ) throws(ConfigError) -> Self {
        var decoding = ConfigDecoding()
        let entity = decode(json, "", &decoding)
        guard let entity, decoding.problems.isEmpty else { throw ConfigError(problems: decoding.problems) }
        return entity
    }

    /// `problems(at:)` appended to the decoding's problems; the entity is kept for cross-checks.
    func checked(at pointer: String, into decoding: inout ConfigDecoding) -> Self {
        decoding.problems += problems(at: pointer)
        return self
    }

    /// Canonical compact JSON bytes of this entity.
    public func canonicalJSON() -> [UInt8] {
        JSONWriter.compact(jsonValue)
    }
}
