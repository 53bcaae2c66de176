/// Turns snapshot JSON (shared/DESIGN.md §4a) into a `Snapshot`, or into every problem with it.
///
/// - `decode`: JSON syntax, structure (wrong types, unknown fields, missing required fields,
///   unknown enum values, `format` other than 1) and each entity's own field rules (names, URLs,
///   ranges, key material). All problems are collected, each at its JSON Pointer.
/// - `decodeAndValidate`: the same plus the cross-entity rules of `Snapshot.validate()`
///   (duplicates, references, conflicting routes), reported together with decoding problems where
///   they can be judged (a reference is not checked against a list in which an entity failed to
///   decode).
///
/// Stateless; safe from any thread. Work is linear in the input (route conflicts are grouped by
/// hash), so a 10,000-route snapshot takes milliseconds.
public enum SnapshotDecoder {
    public static func decode(_ bytes: [UInt8]) throws(ConfigError) -> Snapshot {
        try decode(bytes, crossChecks: false)
    }

    public static func decodeAndValidate(_ bytes: [UInt8]) throws(ConfigError) -> Snapshot {
        try decode(bytes, crossChecks: true)
    }

    /// Decodes a single entity (the admin API's request bodies); pointers are relative to it.
    public static func decode<Entity: SnapshotEntity>(_ type: Entity.Type, from bytes: [UInt8]) throws(ConfigError) -> Entity {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(syntaxError: error)
        }
        return try Entity(json: value)
    }

    static func decode(_ bytes: [UInt8], crossChecks: Bool) throws(ConfigError) -> Snapshot {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(syntaxError: error)
        }
        return try decode(value, crossChecks: crossChecks)
    }

    /// Decodes an already parsed document (for instance one embedded in an admin API response).
    public static func decode(_ value: JSONValue, validate: Bool) throws(ConfigError) -> Snapshot {
        try decode(value, crossChecks: validate)
    }

    static func decode(_ value: JSONValue, crossChecks: Bool) throws(ConfigError) -> Snapshot {
        var decoding = ConfigDecoding()
        guard let partial = PartialSnapshot(value, into: &decoding) else {
            throw ConfigError(problems: decoding.problems)
        }
        if crossChecks {
            decoding.problems += SnapshotValidator(partial).crossEntityProblems()
        }
        guard decoding.problems.isEmpty, let snapshot = partial.snapshot else {
            throw ConfigError(problems: decoding.problems)
        }
        return snapshot
    }
}
