/// Which route of a `RouteMatchKey` group first claimed each method, or all of them.
struct RouteMethodClaims {
    var first: Int?
    var allMethods: Int?
    var byMethod: [String: Int] = [:]

    init(_ methods: [String], for index: Int) {
        _ = claim(methods, for: index)
    }

    /// Records `methods` (empty: all) for route `index`; returns the earliest earlier route that
    /// already claimed one of them, if any.
    mutating func claim(_ methods: [String], for index: Int) -> Int? {
        let conflict: Int?
        if methods.isEmpty {
            conflict = first
        } else {
            conflict = (methods.compactMap { byMethod[$0] } + (allMethods.map { [$0] } ?? [])).min()
        }
        if first == nil { first = index }
        if methods.isEmpty {
            if allMethods == nil { allMethods = index }
        } else {
            for method in methods where byMethod[method] == nil { byMethod[method] = index }
        }
        return conflict
    }
}
