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

    static var components: JSONValue {
        .object([
            .init("securitySchemes", .object([
                .init("adminToken", .object([.init("type", .string("http")), .init("scheme", .string("bearer"))])),
                .init("dataplaneToken", .object([.init("type", .string("http")), .init("scheme", .string("bearer"))])),
            ])),
            .init("schemas", .object([
                .init("Error", object([("pointer", type("string")), ("message", type("string"))], required: ["pointer", "message"])),
                .init("Errors", object([("errors", array(of: ref("Error")))], required: ["errors"])),
                .init("Health", object([("status", type("string"))])),
                .init("Valid", object([("valid", type("boolean"))])),
                .init("Entity", .object([
                    .init("type", .string("object")),
                    .init("description", .string("The entity's object exactly as in the snapshot format (shared/DESIGN.md §4a).")),
                ])),
                .init("EntityPage", page(of: ref("Entity"))),
                .init("NewAPIKey", object([("key_id", type("string")), ("key", type("string")), ("consumer", type("string"))])),
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
                .init("Diff", object([
                    ("from", type("integer")), ("to", type("integer")),
                    ("added", type("object")), ("removed", type("object")), ("changed", type("object")),
                ])),
                .init("Dataplane", object([
                    ("node_id", type("string")), ("hostname", nullable("string")), ("applied_version", nullable("integer")),
                    ("last_seen", nullable("string")), ("last_error", nullable("string")),
                    ("behind", type("boolean")), ("stale", type("boolean")),
                ])),
                .init("DataplanePage", page(of: ref("Dataplane"))),
                .init("DataplaneStatus", object([
                    ("node_id", type("string")), ("hostname", type("string")), ("applied_version", nullable("integer")),
                    ("error", nullable("string")),
                ], required: ["node_id"])),
                .init("AuditEntry", type("object")),
                .init("AuditPage", page(of: ref("AuditEntry"))),
            ])),
        ])
    }
}
