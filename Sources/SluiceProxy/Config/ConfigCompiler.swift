import SluiceConfig
import SluiceHTTP
import SluicePolicy

/// Compiles a `Snapshot` into a `CompiledConfig`: validates it, resolves every target host (with
/// `getaddrinfo` for names: this blocks, so call it on a config thread, never on an event loop),
/// loads every JWT key with OpenSSL and compiles the traffic policies (a key or limit it rejects
/// refuses the whole version),
/// builds the route table. Pure apart from name resolution.
public enum ConfigCompiler {
    /// Resolves `host:port` text to addresses; replaceable in tests.
    public typealias Resolver = (String) throws(SocketAddressError) -> [SocketAddress]

    public static func compile(_ snapshot: Snapshot,
                               resolve: Resolver = { (text: String) throws(SocketAddressError) in
                                   try SocketAddress.resolve(text)
                               }) throws(ConfigCompileError) -> CompiledConfig {
        let validation = snapshot.validate()
        if !validation.isEmpty { throw ConfigCompileError(problems: validation) }

        var problems: [ConfigProblem] = []
        var upstreams: [CompiledUpstream] = []
        var upstreamIndex: [String: Int] = [:]
        for (index, upstream) in snapshot.upstreams.enumerated() {
            var targets: [UpstreamTarget] = []
            var hostValues: [[UInt8]] = []
            for (targetIndex, target) in upstream.targets.enumerated() {
                let pointer = "/upstreams/\(index)/targets/\(targetIndex)/url"
                guard let address = target.address else {
                    problems.append(ConfigProblem(pointer: pointer, message: "invalid target url"))
                    continue
                }
                let text = address.kind == .ipv6 ? "[\(address.host)]:\(address.port)" : "\(address.host):\(address.port)"
                do {
                    let resolved = try resolve(text)
                    guard let first = SocketAddress.preferred(resolved) else {
                        problems.append(ConfigProblem(pointer: pointer, message: "host \(address.host) did not resolve"))
                        continue
                    }
                    targets.append(UpstreamTarget(host: first.host, port: first.port))
                    hostValues.append(Array(text.utf8))
                } catch {
                    problems.append(ConfigProblem(pointer: pointer, message: "cannot resolve \(address.host): \(error.kind)"))
                }
            }
            upstreamIndex[upstream.name] = index
            upstreams.append(CompiledUpstream(name: upstream.name, targets: targets,
                                              weights: upstream.targets.map(\.weight),
                                              hostFieldValues: hostValues, algorithm: upstream.algorithm))
        }
        let policy = CompiledPolicy.compile(snapshot, problems: &problems)
        var routes: [CompiledRoute] = []
        var specs: [RouteSpec] = []
        for (index, route) in snapshot.routes.enumerated() {
            guard let upstream = upstreamIndex[route.upstream] else {
                problems.append(ConfigProblem(pointer: "/routes/\(index)/upstream", message: "unknown upstream \(route.upstream)"))
                continue
            }
            let prefix = RouteConfig.normalizedPathPrefix(route.pathPrefix)
            let strip = route.stripPrefix && prefix != "/" ? prefix.utf8.count : 0
            var compiled = CompiledRoute(name: route.name, upstreamIndex: upstream, stripLength: strip,
                                         timeoutNanoseconds: UInt64(max(1, route.timeoutMilliseconds)) * 1_000_000,
                                         maxBodyBytes: route.maxBodyBytes, auth: route.auth)
            do {
                let routePolicy = try RoutePolicy(route: route)
                let active = route.auth != .none || routePolicy.limits != nil || policy.anonymousTier != nil
                compiled.policy = active ? routePolicy : nil
            } catch {
                problems.append(ConfigProblem(pointer: "/routes/\(index)/rate_limit", message: CompiledPolicy.describe(error)))
            }
            routes.append(compiled)
            specs.append(RouteSpec(hosts: route.hosts, pathPrefix: prefix, methods: route.methods))
        }
        if !problems.isEmpty { throw ConfigCompileError(problems: problems) }
        return CompiledConfig(version: snapshot.version, routeTable: RouteTableBuilder.build(specs),
                              routes: routes, upstreams: upstreams, policy: policy, snapshot: snapshot)
    }
}
