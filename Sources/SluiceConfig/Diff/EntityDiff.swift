/// How one kind of entity differs between two snapshots, matched by identity (name, id or kid).
///
/// `added` lists identities only in the newer snapshot (in its order), `removed` those only in the
/// older one (in its order), `changed` those in both whose canonical JSON differs, each with the
/// JSON Pointers (relative to the entity) of the fields that differ: a scalar's own pointer,
/// an array's pointer when its length changed, each differing element's otherwise. Secrets are
/// named by pointer, never shown.
public struct EntityDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var identity: String
        public var fields: [String]

        public init(identity: String, fields: [String]) {
            self.identity = identity
            self.fields = fields
        }
    }

    /// `name`, `id` or `kid`: how `jsonValue` labels identities.
    public var identityKey: String
    public var added: [String]
    public var removed: [String]
    public var changed: [Change]

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public init(identityKey: String, added: [String], removed: [String], changed: [Change]) {
        self.identityKey = identityKey
        self.added = added
        self.removed = removed
        self.changed = changed
    }

    /// Compares two entity lists. If an identity occurs more than once (an invalid snapshot), the
    /// first occurrence counts.
    public init<Entity: SnapshotEntity>(from old: [Entity], to new: [Entity]) {
        identityKey = Entity.identityKey
        var oldByIdentity: [String: Entity] = [:]
        for entity in old where oldByIdentity[entity.identity] == nil { oldByIdentity[entity.identity] = entity }
        var newIdentities: Set<String> = []
        added = []
        changed = []
        for entity in new where newIdentities.insert(entity.identity).inserted {
            guard let previous = oldByIdentity[entity.identity] else {
                added.append(entity.identity)
                continue
            }
            if previous != entity {
                var fields: [String] = []
                EntityDiff.differences(previous.jsonValue, entity.jsonValue, at: "", into: &fields)
                changed.append(Change(identity: entity.identity, fields: fields))
            }
        }
        var seenRemoved: Set<String> = []
        removed = old.map(\.identity).filter { !newIdentities.contains($0) && seenRemoved.insert($0).inserted }
    }

    static func differences(_ old: JSONValue, _ new: JSONValue, at pointer: String, into fields: inout [String]) {
        switch (old, new) {
        case (.object(let oldMembers), .object(let newMembers)):
            for member in oldMembers {
                let path = JSONPointer.appending(pointer, member.key)
                if let newValue = new[member.key] {
                    differences(member.value, newValue, at: path, into: &fields)
                } else {
                    fields.append(path)
                }
            }
            for member in newMembers where old[member.key] == nil {
                fields.append(JSONPointer.appending(pointer, member.key))
            }
        case (.array(let oldElements), .array(let newElements)) where oldElements.count == newElements.count:
            for index in oldElements.indices {
                differences(oldElements[index], newElements[index], at: JSONPointer.appending(pointer, index), into: &fields)
            }
        default:
            if old != new { fields.append(pointer) }
        }
    }

    /// `{"added": [...], "removed": [...], "changed": [{"name": ..., "fields": [...]}]}`.
    public var jsonValue: JSONValue {
        .object([
            .init("added", .array(added.map { .string($0) })),
            .init("removed", .array(removed.map { .string($0) })),
            .init("changed", .array(changed.map { change in
                .object([
                    .init(identityKey, .string(change.identity)),
                    .init("fields", .array(change.fields.map { .string($0) })),
                ])
            })),
        ])
    }
}
