/// The answer of `RouteTable.lookup`.
public enum RouteLookup: Equatable {
    /// The route at this index of the specs the table was built from.
    case matched(Int)
    /// No route for this host and path: 404.
    case notFound
    /// Routes exist for this host and path, none for this method: 405 with `Allow: <allow>`
    /// (e.g. `GET, POST`; the table's own array, no copy).
    case methodNotAllowed(allow: [UInt8])
}
