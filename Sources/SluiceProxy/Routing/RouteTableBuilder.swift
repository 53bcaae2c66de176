import SluiceHTTP

/// Builds a `RouteTable` from route specs: a mutable, dictionary-based trie that is then frozen
/// into the table's flat arrays. Runs once per configuration, off the hot path.
///
/// Routes with the same host group, prefix and an overlapping method are not refused here (the
/// snapshot validator does that); the first one in spec order wins.
public struct RouteTableBuilder {
    private final class HostNode {
        var children: [UInt8: HostNode] = [:]
        var exactGroup: Int32 = -1
        var wildcardGroup: Int32 = -1
    }

    private struct PathEntry {
        var route: Int
        var methods: UInt16
        var others: [[UInt8]]
    }

    private final class PathNode {
        var children: [[UInt8]: PathNode] = [:]
        var entries: [PathEntry] = []
    }

    private var specs: [RouteSpec] = []

    public init() {}

    /// Adds a route; its index in the lookup results is the number of routes added before it.
    public mutating func add(_ spec: RouteSpec) {
        specs.append(spec)
    }

    /// A table for `specs` (indices as in the array).
    public static func build(_ specs: [RouteSpec]) -> RouteTable {
        var builder = RouteTableBuilder()
        for spec in specs { builder.add(spec) }
        return builder.build()
    }

    public func build() -> RouteTable {
        // Host groups: one per distinct host key (exact or wildcard), one for "any host".
        let hostRoot = HostNode()
        var groupRoots: [PathNode] = []
        var groupByKey: [String: Int] = [:]
        var anyGroup = -1
        func group(forKey key: String) -> Int {
            if let index = groupByKey[key] { return index }
            groupRoots.append(PathNode())
            groupByKey[key] = groupRoots.count - 1
            return groupRoots.count - 1
        }
        for (index, spec) in specs.enumerated() {
            var groups: [Int] = []
            if spec.hosts.isEmpty {
                if anyGroup < 0 {
                    groupRoots.append(PathNode())
                    anyGroup = groupRoots.count - 1
                }
                groups.append(anyGroup)
            }
            for rawHost in spec.hosts {
                let host = Array(rawHost.utf8).map(RouteTable.lowercased)
                let isWildcard = host.count > 2 && host[0] == UInt8(ascii: "*") && host[1] == UInt8(ascii: ".")
                let key = String(decoding: host, as: UTF8.self)
                let groupIndex = group(forKey: key)
                // Walk the name backwards: exact `a.b` stores "b.a"; wildcard `*.b` stores "b." (with the dot).
                let stored = isWildcard ? host[1...] : host[...]
                var node = hostRoot
                for byte in stored.reversed() {
                    if let next = node.children[byte] {
                        node = next
                    } else {
                        let next = HostNode()
                        node.children[byte] = next
                        node = next
                    }
                }
                if isWildcard { node.wildcardGroup = Int32(groupIndex) } else { node.exactGroup = Int32(groupIndex) }
                if !groups.contains(groupIndex) { groups.append(groupIndex) }
            }
            let (methods, others) = Self.methodSet(spec.methods)
            for groupIndex in groups {
                var node = groupRoots[groupIndex]
                for segment in Self.segments(of: spec.pathPrefix) {
                    if let next = node.children[segment] {
                        node = next
                    } else {
                        let next = PathNode()
                        node.children[segment] = next
                        node = next
                    }
                }
                node.entries.append(PathEntry(route: index, methods: methods, others: others))
            }
        }

        var table = RouteTable()
        table.routeCount = specs.count
        table.anyHostGroup = Int32(anyGroup)
        Self.freezeHosts(hostRoot, into: &table)
        Self.freezePaths(groupRoots, into: &table)
        return table
    }

    /// The path's non-empty segments (`/api/v1/` → `api`, `v1`; `/` → none).
    static func segments(of prefix: String) -> [[UInt8]] {
        Array(prefix.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { Array($0) }
    }

    /// Known methods as a bit mask (every bit when `methods` is empty), others as tokens.
    static func methodSet(_ methods: [String]) -> (UInt16, [[UInt8]]) {
        if methods.isEmpty { return (RouteTable.anyMethodMask, []) }
        var mask: UInt16 = 0
        var others: [[UInt8]] = []
        for name in methods {
            if let method = knownMethod(name) {
                mask |= 1 << UInt16(method.rawValue)
            } else {
                others.append(Array(name.utf8))
            }
        }
        return (mask, others)
    }

    static func knownMethod(_ name: String) -> HTTPMethod? {
        switch name {
        case "GET": .GET
        case "HEAD": .HEAD
        case "POST": .POST
        case "PUT": .PUT
        case "DELETE": .DELETE
        case "PATCH": .PATCH
        case "OPTIONS": .OPTIONS
        case "TRACE": .TRACE
        case "CONNECT": .CONNECT
        default: nil
        }
    }

    static let knownMethodNames: [(HTTPMethod, String)] = [
        (.GET, "GET"), (.HEAD, "HEAD"), (.POST, "POST"), (.PUT, "PUT"), (.DELETE, "DELETE"),
        (.PATCH, "PATCH"), (.OPTIONS, "OPTIONS"), (.TRACE, "TRACE"), (.CONNECT, "CONNECT"),
    ]

    private static func freezeHosts(_ root: HostNode, into table: inout RouteTable) {
        // Breadth-first numbering so each node's edges are contiguous.
        var nodes: [HostNode] = [root]
        var cursor = 0
        table.hostEdgeStart = []
        table.hostExactGroup = []
        table.hostWildcardGroup = []
        var edgeBytes: [UInt8] = []
        var edgeChildren: [Int32] = []
        while cursor < nodes.count {
            let node = nodes[cursor]
            table.hostEdgeStart.append(Int32(edgeBytes.count))
            table.hostExactGroup.append(node.exactGroup)
            table.hostWildcardGroup.append(node.wildcardGroup)
            for (byte, child) in node.children.sorted(by: { $0.key < $1.key }) {
                edgeBytes.append(byte)
                edgeChildren.append(Int32(nodes.count))
                nodes.append(child)
            }
            cursor += 1
        }
        table.hostEdgeStart.append(Int32(edgeBytes.count))
        table.hostEdgeByte = edgeBytes
        table.hostEdgeChild = edgeChildren
    }

    private static func freezePaths(_ roots: [PathNode], into table: inout RouteTable) {
        var nodes: [PathNode] = []
        var edges: [(parent: Int32, segment: [UInt8], child: Int32)] = []
        var allowIndex: [[UInt8]: Int32] = [:]
        for root in roots {
            table.groupRoot.append(Int32(nodes.count))
            nodes.append(root)
            var cursor = nodes.count - 1
            while cursor < nodes.count {
                let node = nodes[cursor]
                for (segment, child) in node.children.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                    edges.append((Int32(cursor), segment, Int32(nodes.count)))
                    nodes.append(child)
                }
                cursor += 1
            }
        }
        for node in nodes {
            table.nodeEntryStart.append(Int32(table.entryRoute.count))
            guard !node.entries.isEmpty else {
                table.nodeAllow.append(-1)
                continue
            }
            // Routes listing methods first (in spec order), then those allowing any method.
            let ordered = node.entries.filter { $0.methods != RouteTable.anyMethodMask }
                + node.entries.filter { $0.methods == RouteTable.anyMethodMask }
            var mask: UInt16 = 0
            var others: [[UInt8]] = []
            for entry in ordered {
                table.entryRoute.append(Int32(entry.route))
                table.entryMethods.append(entry.methods)
                table.entryOtherMethods.append(entry.others)
                mask |= entry.methods
                for other in entry.others where !others.contains(other) { others.append(other) }
            }
            var allow: [UInt8] = []
            for (method, name) in knownMethodNames where mask & (1 << UInt16(method.rawValue)) != 0 {
                if !allow.isEmpty { allow += Array(", ".utf8) }
                allow += Array(name.utf8)
            }
            for other in others {
                if !allow.isEmpty { allow += Array(", ".utf8) }
                allow += other
            }
            if let existing = allowIndex[allow] {
                table.nodeAllow.append(existing)
            } else {
                table.allowValues.append(allow)
                allowIndex[allow] = Int32(table.allowValues.count - 1)
                table.nodeAllow.append(Int32(table.allowValues.count - 1))
            }
        }
        table.nodeEntryStart.append(Int32(table.entryRoute.count))

        var capacity = 8
        while capacity < edges.count * 2 { capacity <<= 1 }
        table.slotEdge = Array(repeating: -1, count: capacity)
        table.slotMask = capacity - 1
        for (index, edge) in edges.enumerated() {
            var hash = RouteTable.hashSeed
            for byte in edge.segment { hash = RouteTable.hashStep(hash, byte) }
            table.edgeParent.append(edge.parent)
            table.edgeHash.append(hash)
            table.edgeSegmentStart.append(Int32(table.segmentBytes.count))
            table.segmentBytes += edge.segment
            table.edgeSegmentEnd.append(Int32(table.segmentBytes.count))
            table.edgeChild.append(edge.child)
            var slot = RouteTable.slot(parent: edge.parent, hash: hash) & table.slotMask
            while table.slotEdge[slot] >= 0 { slot = (slot + 1) & table.slotMask }
            table.slotEdge[slot] = Int32(index)
        }
    }
}
