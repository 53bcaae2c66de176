import SluiceHTTP

/// A compiled, immutable route table: host, then longest path prefix on segment boundaries, then
/// method. Built once per configuration by `RouteTableBuilder` (off the hot path) and shared by
/// every worker (`Sendable`, never mutated).
///
/// Precedence:
/// 1. Host: an exact host beats a `*.suffix` wildcard, a longer wildcard beats a shorter one, and
///    routes without hosts match any host. The host comes from the absolute-form authority if the
///    target has one, else from `Host`; the port and one trailing dot are ignored.
/// 2. Within the selected host group, the longest path prefix that ends on a segment boundary
///    (`/api` matches `/api`, `/api/` and `/api/x`, not `/apix`; `/` matches every path). If the
///    group has no route for the path, the next less specific group is tried (exact → longest
///    wildcard → any host).
/// 3. Method: a route listing the method beats one allowing every method; if the prefix has routes
///    but none allows the method, the answer is 405 with the union of their methods.
///
/// Lookup works on the raw bytes of the request head, allocates nothing, and costs
/// O(host length + path length): hosts are a reversed-byte trie, path segments are found in one
/// hash table keyed by (parent node, segment bytes). The number of routes does not enter it.
public struct RouteTable: Sendable {
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

    static let anyMethodMask: UInt16 = 0xFFFF

    /// Routes the table was built from.
    public internal(set) var routeCount = 0

    /// The route for a request, from its parsed head and the head's bytes.
    public func lookup(_ head: HTTPRequestHead, bytes: UnsafeRawBufferPointer) -> RouteLookup {
        var hostRange = head.authorityRange
        if head.targetForm != .absolute || hostRange.isEmpty {
            if let index = head.hostFieldIndex {
                hostRange = head.fields[index].valueRange
            } else {
                hostRange = 0..<0
            }
        }
        return lookup(method: head.method, methodBytes: UnsafeRawBufferPointer(rebasing: bytes[head.methodRange]),
                      host: UnsafeRawBufferPointer(rebasing: bytes[hostRange]),
                      path: UnsafeRawBufferPointer(rebasing: bytes[head.pathRange]))
    }

    /// The route for raw `host` (`name[:port]`, any case) and `path` bytes.
    public func lookup(method: HTTPMethod, methodBytes: UnsafeRawBufferPointer,
                       host: UnsafeRawBufferPointer, path: UnsafeRawBufferPointer) -> RouteLookup {
        var exact: Int32 = -1
        var wildcard: Int32 = -1
        findHostGroups(RouteTable.hostName(host), exact: &exact, wildcard: &wildcard)
        // No array of candidates: three fixed tries, in precedence order.
        var node = exact >= 0 ? longestPrefixNode(root: groupRoot[Int(exact)], path: path) : -1
        if node < 0, wildcard >= 0 { node = longestPrefixNode(root: groupRoot[Int(wildcard)], path: path) }
        if node < 0, anyHostGroup >= 0 { node = longestPrefixNode(root: groupRoot[Int(anyHostGroup)], path: path) }
        guard node >= 0 else { return .notFound }
        return resolveMethod(node: node, method: method, methodBytes: methodBytes)
    }

    /// `host` without its port (`:digits` after the name, or after `]` of an IPv6 literal) and one trailing dot.
    static func hostName(_ host: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = host.count
        var index = end - 1
        while index >= 0 {
            let byte = host[index]
            if byte == UInt8(ascii: ":") {
                end = index
                break
            }
            if byte < 0x30 || byte > 0x39 { break }
            index -= 1
        }
        if end > 0 && host[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: host[0..<end])
    }

    private func findHostGroups(_ host: UnsafeRawBufferPointer, exact: inout Int32, wildcard: inout Int32) {
        var node = 0
        var consumed = 0
        var index = host.count - 1
        while index >= 0 {
            // A wildcard's ".suffix" ending here matches when at least one byte precedes it.
            if consumed > 0, hostWildcardGroup[node] >= 0 { wildcard = hostWildcardGroup[node] }
            let byte = RouteTable.lowercased(host[index])
            var next: Int32 = -1
            var edge = Int(hostEdgeStart[node])
            let end = Int(hostEdgeStart[node + 1])
            while edge < end {
                if hostEdgeByte[edge] == byte {
                    next = hostEdgeChild[edge]
                    break
                }
                edge += 1
            }
            if next < 0 { return }
            node = Int(next)
            consumed += 1
            index -= 1
        }
        if host.count > 0 { exact = hostExactGroup[node] }
    }

    /// The deepest node on `path`'s segments where a route ends, or -1.
    private func longestPrefixNode(root: Int32, path: UnsafeRawBufferPointer) -> Int32 {
        var node = root
        var best: Int32 = nodeAllow[Int(root)] >= 0 ? root : -1
        let count = path.count
        guard count > 1, path[0] == UInt8(ascii: "/") else { return best }
        var start = 1
        while start < count {
            var end = start
            var hash = RouteTable.hashSeed
            while end < count {
                let byte = path[end]
                if byte == UInt8(ascii: "/") { break }
                hash = RouteTable.hashStep(hash, byte)
                end += 1
            }
            guard end > start, let child = child(of: node, hash: hash, segment: path, start, end) else { break }
            node = child
            if nodeAllow[Int(node)] >= 0 { best = node }
            start = end + 1
        }
        return best
    }

    private func child(of parent: Int32, hash: UInt64, segment path: UnsafeRawBufferPointer,
                       _ start: Int, _ end: Int) -> Int32? {
        guard slotMask > 0 else { return nil }
        var slot = RouteTable.slot(parent: parent, hash: hash) & slotMask
        while true {
            let edge = Int(slotEdge[slot])
            if edge < 0 { return nil }
            if edgeParent[edge] == parent, edgeHash[edge] == hash {
                let stored = Int(edgeSegmentStart[edge])
                let storedEnd = Int(edgeSegmentEnd[edge])
                if storedEnd - stored == end - start {
                    var same = true
                    var offset = 0
                    while offset < end - start {
                        if segmentBytes[stored + offset] != path[start + offset] {
                            same = false
                            break
                        }
                        offset += 1
                    }
                    if same { return edgeChild[edge] }
                }
            }
            slot = (slot + 1) & slotMask
        }
    }

    private func resolveMethod(node: Int32, method: HTTPMethod, methodBytes: UnsafeRawBufferPointer) -> RouteLookup {
        let bit: UInt16 = method == .other ? 0 : 1 << UInt16(method.rawValue)
        var entry = Int(nodeEntryStart[Int(node)])
        let end = Int(nodeEntryStart[Int(node) + 1])
        while entry < end {
            let mask = entryMethods[entry]
            if mask == RouteTable.anyMethodMask || mask & bit != 0 { return .matched(Int(entryRoute[entry])) }
            if method == .other {
                for other in entryOtherMethods[entry] where other.elementsEqual(methodBytes) {
                    return .matched(Int(entryRoute[entry]))
                }
            }
            entry += 1
        }
        return .methodNotAllowed(allow: allowValues[Int(nodeAllow[Int(node)])])
    }

    // MARK: Hashing (shared with the builder)

    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    @inline(__always)
    static func slot(parent: Int32, hash: UInt64) -> Int {
        let mixed = (hash ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 17)
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
