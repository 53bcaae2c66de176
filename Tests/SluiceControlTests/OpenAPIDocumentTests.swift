import SluiceConfig
import SluiceHTTP
import Testing
@testable import SluiceControl

/// Keeps `OpenAPIDocument` true: every route of `APIRouter.table` is documented with the same
/// path parameters and security, and every documented operation is routed.
@Suite struct OpenAPIDocumentTests {
    static let methods = ["get", "post", "put", "delete", "patch"]

    /// `"GET /v1/upstreams/{name}"` for every operation of the document.
    func documentedOperations() -> [String: JSONValue] {
        var operations: [String: JSONValue] = [:]
        guard case .object(let paths)? = OpenAPIDocument.json["paths"] else { return [:] }
        for path in paths {
            guard case .object(let items) = path.value else { continue }
            for item in items where Self.methods.contains(item.key) {
                operations[item.key.uppercased() + " " + path.key] = item.value
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumented() {
        let documented = documentedOperations()
        for route in APIRouter.table {
            let key = route.method.name + " " + route.pattern
            guard let operation = documented[key] else {
                Issue.record("route \(key) missing from the OpenAPI document")
                continue
            }
            let parameters = operation["parameters"]?.arrayValue ?? []
            let pathParameters = parameters.filter { $0["in"]?.stringValue == "path" }.compactMap { $0["name"]?.stringValue }
            #expect(pathParameters == route.parameterNames, "\(key) path parameters")
            let security = operation["security"]?.arrayValue
            switch route.access {
            case .open: #expect(security == [], "\(key) should need no token")
            case .admin: #expect(security == nil, "\(key) should use the default admin security")
            case .dataplane: #expect(security?.first?["dataplaneToken"] != nil, "\(key) should use the data-plane token")
            }
            #expect(operation["responses"]?["200"] != nil || operation["responses"]?["201"] != nil
                        || operation["responses"]?["204"] != nil, "\(key) has no success response")
        }
    }

    @Test func everyDocumentedOperationIsRouted() {
        let routed = Set(APIRouter.table.map { $0.method.name + " " + $0.pattern })
        let documented = documentedOperations()
        #expect(!documented.isEmpty)
        for key in documented.keys {
            #expect(routed.contains(key), "documented \(key) is not routed")
        }
        #expect(documented.count == routed.count)
    }

    @Test func everySchemaReferenceResolves() {
        let bytes = JSONWriter.compact(OpenAPIDocument.json)
        let text = String(decoding: bytes, as: UTF8.self)
        guard case .object(let schemas)? = OpenAPIDocument.json["components"]?["schemas"] else {
            Issue.record("no schemas")
            return
        }
        let names = Set(schemas.map(\.key))
        var rest = Substring(text)
        let marker = "#/components/schemas/"
        var count = 0
        while let range = rest.range(of: marker) {
            rest = rest[range.upperBound...]
            let name = String(rest.prefix { $0 != "\"" })
            #expect(names.contains(name), "unresolved $ref \(name)")
            count += 1
        }
        #expect(count > 10)
        #expect(OpenAPIDocument.json["openapi"]?.stringValue == "3.1.0")
        // Valid JSON without duplicate keys (the parser rejects them): what clients will parse.
        #expect((try? JSONParser.parse(bytes)) == OpenAPIDocument.json)
    }

    /// Entity operations name their collection's schema (`Upstream`, `UpstreamPage`, …) for bodies
    /// and answers; every body-taking operation has a `$ref` request schema.
    @Test func entityOperationsReferenceTheirSchemas() {
        let documented = documentedOperations()
        for (path, schema) in [("upstreams", "Upstream"), ("routes", "Route"), ("tiers", "Tier"), ("orgs", "Org"),
                               ("consumers", "Consumer"), ("jwt-keys", "JWTKey")] {
            let key = path == "consumers" || path == "orgs" ? "id" : path == "jwt-keys" ? "kid" : "name"
            let item = "/v1/\(path)/{\(key)}"
            #expect(Self.responseRef(documented["GET /v1/\(path)"], "200") == schema + "Page")
            #expect(Self.requestRef(documented["POST /v1/\(path)"]) == schema)
            #expect(Self.responseRef(documented["POST /v1/\(path)"], "201") == schema)
            #expect(Self.responseRef(documented["GET \(item)"], "200") == schema)
            #expect(Self.requestRef(documented["PUT \(item)"]) == schema)
            #expect(OpenAPIDocument.json["components"]?["schemas"]?[schema]?["required"] == .array([.string(key)]))
        }
        for operation in ["POST /v1/versions", "POST /v1/dataplane/status"] {
            #expect(Self.requestRef(documented[operation]) != nil, "\(operation)")
        }
        for (key, value) in documented {
            for code in ["400", "401", "403", "404", "409", "412", "422"] where value["responses"]?[code] != nil {
                #expect(Self.responseRef(value, code) == "Errors", "\(key) \(code)")
            }
        }
    }

    /// Real answers carry exactly the documented fields (every required one, no undocumented one).
    @Test func realResponsesMatchTheirSchemas() throws {
        let server = try APITestServer()
        defer { server.stop() }
        try server.seedMinimalConfig()
        #expect(try server.request("POST", "/v1/tiers", body: APITestServer.tier).status == 201)
        #expect(try server.request("POST", "/v1/consumers", body: APITestServer.consumer).status == 201)
        let first = try server.request("POST", "/v1/versions", body: #"{"comment":"one"}"#)
        try Self.conforms(first.json, "Version")
        try Self.conforms(server.request("POST", "/v1/consumers/user-42/api-keys").json, "NewAPIKey")
        #expect(try server.request("DELETE", "/v1/consumers/user-42").status == 204)
        #expect(try server.request("POST", "/v1/versions").status == 201)
        try Self.conforms(server.request("GET", "/v1/versions").json, "VersionPage")
        try Self.conforms(server.request("GET", "/v1/versions/1").json, "VersionWithSnapshot")
        try Self.conforms(server.request("GET", "/v1/versions/2/diff?against=1").json, "Diff")
        try Self.conforms(server.request("POST", "/v1/versions/1/rollback").json, "Rollback")
        let report = #"{"node_id":"n1","hostname":"h","applied_version":1,"error":null}"#
        #expect(try server.request("POST", "/v1/dataplane/status", token: APITestServer.dataplaneToken, body: report).status == 204)
        try Self.conforms(server.request("GET", "/v1/dataplanes").json, "DataplanePage")
        try Self.conforms(server.request("GET", "/v1/audit").json, "AuditPage")
        try Self.conforms(server.request("GET", "/v1/routes").json, "RoutePage")
        #expect(try server.request("POST", "/v1/orgs", body: #"{"id":"acme","requests_per_day":5}"#).status == 201)
        try Self.conforms(server.request("GET", "/v1/orgs").json, "OrgPage")
        try Self.conforms(server.request("GET", "/v1/nothing").json, "Errors")
        try Self.conforms(server.request("POST", "/v1/config/validate").json, "Valid")
        try Self.conforms(server.request("GET", "/health", token: nil).json, "Health")
    }

    static func requestRef(_ operation: JSONValue?) -> String? {
        operation?["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
            .map { String($0.dropFirst("#/components/schemas/".count)) }
    }

    static func responseRef(_ operation: JSONValue?, _ code: String) -> String? {
        operation?["responses"]?[code]?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
            .map { String($0.dropFirst("#/components/schemas/".count)) }
    }

    /// Checks `value`'s object keys against schema `name` (following `$ref`s and arrays); schemas
    /// without `properties` accept any object, `additionalProperties: true` any further key.
    static func conforms(_ value: JSONValue, _ name: String, at pointer: String = "") throws {
        let schema = try #require(OpenAPIDocument.json["components"]?["schemas"]?[name], "schema \(name)")
        try conforms(value, schema: schema, at: pointer)
    }

    static func conforms(_ value: JSONValue, schema: JSONValue, at pointer: String) throws {
        if let reference = schema["$ref"]?.stringValue {
            try conforms(value, String(reference.dropFirst("#/components/schemas/".count)), at: pointer)
            return
        }
        if let items = schema["items"] {
            let array = try #require(value.arrayValue, "\(pointer) should be an array")
            for (index, item) in array.enumerated() { try conforms(item, schema: items, at: pointer + "/\(index)") }
            return
        }
        guard case .object(let properties)? = schema["properties"] else { return }
        guard case .object(let members) = value else {
            Issue.record("\(pointer) should be an object: \(value)")
            return
        }
        let documented = Set(properties.map(\.key))
        for member in members {
            #expect(documented.contains(member.key) || schema["additionalProperties"] == .bool(true),
                    "\(pointer)/\(member.key) is not documented")
            if let property = properties.first(where: { $0.key == member.key }) {
                try conforms(member.value, schema: property.value, at: pointer + "/" + member.key)
            }
        }
        for case .string(let required) in schema["required"]?.arrayValue ?? [] {
            #expect(members.contains { $0.key == required }, "\(pointer)/\(required) is required but missing")
        }
    }
}
