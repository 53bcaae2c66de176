/// The flat arrays of a `RouteTable`, filled by `RouteTableBuilder` and then frozen into the
/// table (whose fields are the same, as `let`s). See `RouteTable` for what each one holds.
struct RouteTableParts {
    // Host trie over the host's bytes read backwards (so wildcards are prefixes of the walk).
    var hostEdgeStart: [Int32] = [0]       // per node: first edge (edges of node n: start[n]..<start[n+1])
    var hostEdgeByte: [UInt8] = []
    var hostEdgeChild: [Int32] = []
    var hostExactGroup: [Int32] = [-1]     // per node: group of the exact host ending here
    var hostWildcardGroup: [Int32] = [-1]  // per node: group of the `*.suffix` whose ".suffix" ends here
    /// The group of routes without hosts, -1 if none.
    var anyHostGroup: Int32 = -1
    /// Per host group: its path trie root.
    var groupRoot: [Int32] = []

    // Path trie: nodes; edges found by hashing (parent, segment).
    var nodeEntryStart: [Int32] = []       // per node: routes ending here: entries start[n]..<start[n+1]
    var nodeAllow: [Int32] = []            // per node: index into `allowValues`, -1 when no route ends here
    var slotEdge: [Int32] = []             // open addressing, -1 empty
    var slotMask = 0
    var edgeParent: [Int32] = []
    var edgeHash: [UInt64] = []
    var edgeSegmentStart: [Int32] = []
    var edgeSegmentEnd: [Int32] = []
    var edgeChild: [Int32] = []
    var segmentBytes: [UInt8] = []

    // Route entries of the nodes, specific-method routes before any-method ones.
    var entryRoute: [Int32] = []
    var entryMethods: [UInt16] = []        // bit per known `HTTPMethod`; `anyMethodMask` = every method
    var entryOtherMethods: [[[UInt8]]] = [] // method tokens that are `.other`
    var allowValues: [[UInt8]] = []

    var routeCount = 0
}
