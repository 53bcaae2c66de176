extension RouteConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ field: String, _ message: String) {
            problems.append(ConfigProblem(pointer: pointer + field, message: message))
        }
        if let message = FieldSyntax.nameProblem(name) { report("/name", message) }
        var seenHosts: Set<String> = []
        for (index, host) in hosts.enumerated() {
            if let message = HostNameSyntax.routeHostProblem(host) {
                report("/hosts/\(index)", message)
            } else if !seenHosts.insert(host).inserted {
                report("/hosts/\(index)", "duplicate host \"\(host)\"")
            }
        }
        if let message = FieldSyntax.pathPrefixProblem(pathPrefix) { report("/path_prefix", message) }
        var seenMethods: Set<String> = []
        for (index, method) in methods.enumerated() {
            if let message = FieldSyntax.methodProblem(method) {
                report("/methods/\(index)", message)
            } else if !seenMethods.insert(method).inserted {
                report("/methods/\(index)", "duplicate method \"\(method)\"")
            }
        }
        if let message = FieldSyntax.nameProblem(upstream) { report("/upstream", "upstream " + message) }
        if !RouteConfig.timeoutMillisecondsRange.contains(timeoutMilliseconds) {
            report("/timeout_ms", "timeout_ms must be 1…3600000")
        }
        if !RouteConfig.maxBodyBytesRange.contains(maxBodyBytes) {
            report("/max_body_bytes", "max_body_bytes must be 0…1099511627776 (2^40)")
        }
        return problems
    }
}
