/// What a router matches a route on, apart from methods.
struct RouteMatchKey: Hashable {
    var hosts: Set<String>
    var pathPrefix: String
}
