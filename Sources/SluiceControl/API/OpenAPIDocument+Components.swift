import SluiceConfig

extension OpenAPIDocument {
    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("type", .string("object")),
            .init("properties", .object(properties.map { JSONValue.Member($0.0, $0.1) })),
        ]
        if !required.isEmpty { members.append(.init("required", .array(required.map { .string($0) }))) }
        return .object(members)
    }

    static func type(_ name: String) -> JSONValue { .object([.init("type", .string(name))]) }
    static func nullable(_ name: String) -> JSONValue { .object([.init("type", .array([.string(name), .string("null")]))]) }
    static func array(of items: JSONValue) -> JSONValue { .object([.init("type", .string("array")), .init("items", items)]) }

    static func page(of item: JSONValue) -> JSONValue {
        object([("items", array(of: item)), ("total", type("integer")), ("limit", type("integer")), ("offset", type("integer"))],
               required: ["items", "total", "limit", "offset"])
    }

    static let versionFields: [(String, JSONValue)] = [
        ("version", type("integer")), ("sha256", type("string")), ("created_at", type("string")),
        ("created_by", type("string")), ("comment", type("string")), ("kind", type("string")),
        ("rolled_back_from", nullable("integer")),
    ]

    /// One schema per entity collection (`Upstream`, `UpstreamPage`, …), in path order.
    static let entitySchemas: [(path: String, key: String, noun: String, schema: String)] = [
        ("upstreams", "name", "upstream", "Upstream"), ("routes", "name", "route", "Route"), ("tiers", "name", "tier", "Tier"),
        ("orgs", "id", "org", "Org"), ("consumers", "id", "consumer", "Consumer"), ("jwt-keys", "kid", "JWT key", "JWTKey"),
    ]

    /// An entity object: its key field is required; the other fields are those of the snapshot
    /// format's `<collection>` entries (shared/DESIGN.md §4a), checked by the server.
    static func entitySchema(_ entity: (path: String, key: String, noun: String, schema: String)) -> JSONValue {
        .object([
            .init("type", .string("object")),
            .init("description", .string("\(article(entity.noun) == "an" ? "An" : "A") \(entity.noun) exactly as in the snapshot format's entries; its key is \(entity.key).")),
            .init("properties", .object([.init(entity.key, type("string"))])),
            .init("required", .array([.string(entity.key)])),
            .init("additionalProperties", .bool(true)),
        ])
    }

    /// The entity members of a diff: every snapshot collection, API keys included.
    static let diffKeys = EntityKind.allCases.map(\.collectionKey) + [APIKeyConfig.collectionKey]

    static var components: JSONValue {
        .object([
            .init("securitySchemes", .object([
            .init("adminToken", .object([.init("type", .string("http")), .init("scheme", .string("bearer"))])),
            .init("dataplaneToken", .object([.init("type", .string("http")), .init("scheme", .string("bearer"))])),
            ])),
            .init("schemas", .object(schemas)),
        ])
    }

    static var schemas: [JSONValue.Member] {
        var members: [JSONValue.Member] = [
            .init("Error", object([("pointer", type("string")), ("message", type("string"))], required: ["pointer", "message"])),
            .init("Errors", object([("errors", array(of: ref("Error")))], required: ["errors"])),
            .init("Health", object([("status", type("string"))])),
            .init("Valid", object([("valid", type("boolean"))])),
        ]
        for entity in entitySchemas {
            members.append(.init(entity.schema, entitySchema(entity)))
            members.append(.init(entity.schema + "Page", page(of: ref(entity.schema))))
        }
        members += [
            .init("APIKey", object([("key_id", type("string")), ("consumer", type("string")), ("prefix", type("string")),
                                    ("created_at", type("string"))], required: ["key_id", "consumer", "prefix", "created_at"])),
            .init("APIKeyPage", page(of: ref("APIKey"))),
            .init("NewAPIKey", object([("key_id", type("string")), ("key", type("string")), ("consumer", type("string"))],
                                      required: ["key_id", "consumer", "key"])),
            .init("PublishRequest", object([("comment", type("string"))])),
            .init("Version", object(versionFields, required: ["version", "sha256"])),
            .init("VersionPage", page(of: ref("Version"))),
            .init("VersionWithSnapshot", object(versionFields + [("snapshot", ref("Snapshot"))], required: ["version", "snapshot"])),
            .init("Rollback", object(versionFields.filter { $0.0 != "rolled_back_from" } + [("rolled_back_from", type("integer"))],
                                       required: ["version", "rolled_back_from"])),
            .init("Snapshot", .object([
                .init("type", .string("object")),
                .init("description", .string("A whole configuration snapshot (shared/DESIGN.md §4a).")),
            ])),
            .init("Diff", object([("from_version", type("integer")), ("to_version", type("integer"))]
                                 + diffKeys.map { ($0, ref("EntityDiff")) },
                                 required: ["from_version", "to_version"] + diffKeys)),
            .init("EntityDiff", object([
                ("added", array(of: type("string"))), ("removed", array(of: type("string"))),
                ("changed", array(of: .object([
                    .init("type", .string("object")),
                    .init("description", .string("The entity's key field (name, id or kid) and the JSON pointers of its changed fields.")),
                    .init("properties", .object([
                        .init("name", type("string")), .init("id", type("string")), .init("kid", type("string")),
                        .init("fields", array(of: type("string"))),
                    ])),
                ]))),
            ], required: ["added", "removed", "changed"])),
            .init("Dataplane", object([
                ("node_id", type("string")), ("hostname", type("string")), ("applied_version", type("integer")),
                ("last_seen", type("string")), ("last_error", nullable("string")),
                ("behind", type("boolean")), ("stale", type("boolean")),
            ], required: ["node_id", "hostname", "applied_version", "last_seen", "last_error", "behind", "stale"])),
            .init("DataplanePage", page(of: ref("Dataplane"))),
            .init("DataplaneStatus", object([
                ("node_id", type("string")), ("hostname", type("string")), ("applied_version", nullable("integer")),
                ("error", nullable("string")),
            ], required: ["node_id"])),
            .init("AuditEntry", object([
                ("id", type("integer")), ("at", type("string")), ("actor", type("string")), ("action", type("string")),
                ("entity_kind", type("string")), ("entity_id", type("string")), ("detail", type("string")),
            ], required: ["id", "at", "actor", "action", "entity_kind", "entity_id", "detail"])),
            .init("AuditPage", page(of: ref("AuditEntry"))),
        ]
        return members
    }
}
