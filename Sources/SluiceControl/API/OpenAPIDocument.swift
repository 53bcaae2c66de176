import SluiceConfig

/// The OpenAPI 3.1 description of the API served at `GET /v1/openapi.json`, written out as data.
/// `OpenAPIDocumentTests` walks its `paths` and `APIRouter.table` against each other (every route
/// documented, every documented operation routed), so neither can drift alone.
public enum OpenAPIDocument {
    public static let json: JSONValue = .object([
        .init("openapi", .string("3.1.0")),
        .init("info", .object([
            .init("title", .string("Sluice control plane API")),
            .init("version", .string("1")),
            .init("description", .string("""
                Admin API (Authorization: Bearer <admin token>) and data-plane API (Bearer <data-plane \
                token>). Every error body is {"errors": [{"pointer", "message"}]}; lists are \
                {"items", "total", "limit", "offset"}.
                """)),
        ])),
        .init("paths", .object(paths)),
        .init("components", components),
        .init("security", .array([.object([.init("adminToken", .array([]))])])),
    ])

    static var paths: [JSONValue.Member] {
        var members: [JSONValue.Member] = [
            .init("/health", .object([
                .init("get", operation("Liveness", security: .open, responses: [("200", "Running", ref("Health"))])),
            ])),
            .init("/metrics", .object([
                .init("get", .object([
                    .init("summary", .string("Prometheus metrics (text exposition format 0.0.4)")),
                    .init("security", .array([])),
                    .init("responses", .object([
                        .init("200", .object([
                            .init("description", .string("Admin requests, publishes, rollbacks, connected data planes, long-poll waiters, SQLite latency")),
                            .init("content", .object([.init("text/plain", .object([.init("schema", .object([.init("type", .string("string"))]))]))])),
                        ])),
                    ])),
                ])),
            ])),
            .init("/v1/openapi.json", .object([
                .init("get", operation("This document", responses: [("200", "OpenAPI 3.1 document", .object([.init("type", .string("object"))]))])),
            ])),
        ]
        for entity in entitySchemas {
            members.append(.init("/v1/\(entity.path)", .object([
                .init("get", operation("List \(entity.noun)s", parameters: pageParameters,
                                       responses: [("200", "One page", ref(entity.schema + "Page"))])),
                .init("post", operation("Create \(article(entity.noun)) \(entity.noun)", body: ref(entity.schema),
                                        responses: [("201", "Created (Location and ETag set)", ref(entity.schema)),
                                                    ("400", "Malformed JSON", ref("Errors")), ("409", "Key already exists", ref("Errors")),
                                                    ("422", "Invalid entity", ref("Errors"))])),
            ])))
            let key = pathParameter(entity.key)
            members.append(.init("/v1/\(entity.path)/{\(entity.key)}", .object([
                .init("get", operation("Get \(article(entity.noun)) \(entity.noun)", parameters: [key],
                                       responses: [("200", "The entity (ETag set)", ref(entity.schema)), ("404", "Not found", ref("Errors"))])),
                .init("put", operation("Replace \(article(entity.noun)) \(entity.noun) (If-Match optional)", parameters: [key, ifMatch], body: ref(entity.schema),
                                       responses: [("200", "Replaced (ETag set)", ref(entity.schema)), ("400", "Malformed JSON", ref("Errors")),
                                                   ("404", "Not found", ref("Errors")), ("412", "ETag mismatch", ref("Errors")),
                                                   ("422", "Invalid entity", ref("Errors"))])),
                .init("delete", operation("Delete \(article(entity.noun)) \(entity.noun) (If-Match optional)", parameters: [key, ifMatch],
                                          responses: [("204", "Deleted", nil), ("404", "Not found", ref("Errors")),
                                                      ("409", "Still referenced", ref("Errors")), ("412", "ETag mismatch", ref("Errors"))])),
            ])))
        }
        members += [
            .init("/v1/consumers/{id}/api-keys", .object([
                .init("get", operation("A consumer's API keys (ids, prefixes, issue times; never the keys)",
                                       parameters: [pathParameter("id")] + pageParameters,
                                       responses: [("200", "One page of keys", ref("APIKeyPage")), ("404", "No such consumer", ref("Errors"))])),
                .init("post", operation("Issue an API key (returned once; only its hash is stored)", parameters: [pathParameter("id")],
                                        responses: [("201", "The new key", ref("NewAPIKey")), ("404", "No such consumer", ref("Errors"))])),
            ])),
            .init("/v1/consumers/{id}/api-keys/{key_id}", .object([
                .init("delete", operation("Revoke an API key", parameters: [pathParameter("id"), pathParameter("key_id")],
                                          responses: [("204", "Revoked", nil), ("404", "No such key", ref("Errors"))])),
            ])),
            .init("/v1/config/validate", .object([
                .init("post", operation("Validate the working configuration (dry run)",
                                        responses: [("200", "Valid", ref("Valid")), ("422", "Every problem", ref("Errors"))])),
            ])),
            .init("/v1/versions", .object([
                .init("get", operation("Published versions, newest first", parameters: pageParameters,
                                       responses: [("200", "One page of version metadata", ref("VersionPage"))])),
                .init("post", operation("Publish the working configuration", body: ref("PublishRequest"),
                                        responses: [("201", "Published as a new version", ref("Version")),
                                                    ("200", "Unchanged: the existing latest version", ref("Version")),
                                                    ("400", "Malformed JSON", ref("Errors")),
                                                    ("422", "Invalid configuration; nothing published", ref("Errors"))])),
            ])),
            .init("/v1/versions/{n}", .object([
                .init("get", operation("One version with its snapshot", parameters: [pathParameter("n", integer: true)],
                                       responses: [("200", "Metadata and snapshot", ref("VersionWithSnapshot")), ("404", "No such version", ref("Errors"))])),
            ])),
            .init("/v1/versions/{n}/diff", .object([
                .init("get", operation("Differences of version n against version m", parameters: [
                    pathParameter("n", integer: true), queryParameter("against", integer: true, required: true),
                ], responses: [("200", "Added, removed and changed entities", ref("Diff")), ("400", "Missing against", ref("Errors")),
                               ("404", "No such version", ref("Errors"))])),
            ])),
            .init("/v1/versions/{n}/rollback", .object([
                .init("post", operation("Publish version n's snapshot as a new version", parameters: [pathParameter("n", integer: true)],
                                        responses: [("201", "The new version", ref("Rollback")), ("404", "No such version", ref("Errors"))])),
            ])),
            .init("/v1/dataplanes", .object([
                .init("get", operation("Data-plane nodes", parameters: pageParameters,
                                       responses: [("200", "One page of nodes", ref("DataplanePage"))])),
            ])),
            .init("/v1/audit", .object([
                .init("get", operation("Audit log, newest first", parameters: pageParameters,
                                       responses: [("200", "One page of entries", ref("AuditPage"))])),
            ])),
            .init("/v1/dataplane/snapshot", .object([
                .init("get", operation("Long-poll for a version newer than after", security: .dataplane, parameters: [
                    queryParameter("after", integer: true, required: false), queryParameter("node_id", integer: false, required: true),
                    queryParameter("wait", integer: true, required: false),
                ], responses: [("200", "The newest snapshot (X-Sluice-Version set)", ref("Snapshot")),
                               ("304", "Nothing newer within wait seconds", nil), ("400", "Bad query", ref("Errors"))])),
            ])),
            .init("/v1/dataplane/status", .object([
                .init("post", operation("Report a node's applied version", security: .dataplane, body: ref("DataplaneStatus"),
                                        responses: [("204", "Recorded", nil), ("400", "Malformed JSON", ref("Errors")),
                                                    ("422", "Invalid report", ref("Errors"))])),
            ])),
        ]
        return members
    }

    // MARK: Building blocks

    /// "an" before a vowel ("an upstream", "an org"), else "a".
    static func article(_ noun: String) -> String {
        noun.first.map { "aeiouAEIOU".contains($0) } == true ? "an" : "a"
    }

    static func ref(_ name: String) -> JSONValue {
        .object([.init("$ref", .string("#/components/schemas/\(name)"))])
    }

    static let ifMatch: JSONValue = .object([
        .init("name", .string("If-Match")), .init("in", .string("header")), .init("required", .bool(false)),
        .init("schema", .object([.init("type", .string("string"))])),
    ])

    static let pageParameters: [JSONValue] = [
        queryParameter("limit", integer: true, required: false), queryParameter("offset", integer: true, required: false),
    ]

    static func pathParameter(_ name: String, integer: Bool = false) -> JSONValue {
        .object([
            .init("name", .string(name)), .init("in", .string("path")), .init("required", .bool(true)),
            .init("schema", .object([.init("type", .string(integer ? "integer" : "string"))])),
        ])
    }

    static func queryParameter(_ name: String, integer: Bool, required: Bool) -> JSONValue {
        .object([
            .init("name", .string(name)), .init("in", .string("query")), .init("required", .bool(required)),
            .init("schema", .object([.init("type", .string(integer ? "integer" : "string"))])),
        ])
    }

    static func operation(_ summary: String, security: APIAccess = .admin, parameters: [JSONValue] = [], body: JSONValue? = nil,
                          responses: [(code: String, description: String, schema: JSONValue?)]) -> JSONValue {
        var members: [JSONValue.Member] = [.init("summary", .string(summary))]
        switch security {
        case .open: members.append(.init("security", .array([])))
        case .admin: break
        case .dataplane: members.append(.init("security", .array([.object([.init("dataplaneToken", .array([]))])])))
        }
        if !parameters.isEmpty { members.append(.init("parameters", .array(parameters))) }
        if let body {
            members.append(.init("requestBody", .object([
                .init("required", .bool(true)),
                .init("content", .object([.init("application/json", .object([.init("schema", body)]))])),
            ])))
        }
        var codes = responses.map { response -> JSONValue.Member in
            var fields: [JSONValue.Member] = [.init("description", .string(response.description))]
            if let schema = response.schema {
                fields.append(.init("content", .object([.init("application/json", .object([.init("schema", schema)]))])))
            }
            return .init(response.code, .object(fields))
        }
        if security != .open {
            codes.append(.init("401", .object([.init("description", .string("Missing or unknown token")), errorContent])))
            codes.append(.init("403", .object([.init("description", .string("Token of the other class")), errorContent])))
        }
        members.append(.init("responses", .object(codes)))
        return .object(members)
    }

    static let errorContent = JSONValue.Member("content", .object([.init("application/json", .object([.init("schema", ref("Errors"))]))]))
}
