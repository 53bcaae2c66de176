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
}
