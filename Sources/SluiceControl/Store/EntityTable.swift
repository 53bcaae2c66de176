/// Where one entity kind lives: its table, key column and (for routes and consumers) the column
/// holding the name of the entity it references.
struct EntityTable: Sendable {
    let name: String
    let keyColumn: String
    /// `upstream` for routes, `tier` for consumers.
    let referenceColumn: String?

    static let upstreams = EntityTable(name: "upstreams", keyColumn: "name", referenceColumn: nil)
    static let routes = EntityTable(name: "routes", keyColumn: "name", referenceColumn: "upstream")
    static let tiers = EntityTable(name: "tiers", keyColumn: "name", referenceColumn: nil)
    static let orgs = EntityTable(name: "orgs", keyColumn: "id", referenceColumn: nil)
    static let consumers = EntityTable(name: "consumers", keyColumn: "id", referenceColumn: "tier")
    static let jwtKeys = EntityTable(name: "jwt_keys", keyColumn: "kid", referenceColumn: nil)
}
