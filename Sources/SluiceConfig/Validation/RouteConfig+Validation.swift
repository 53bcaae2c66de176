extension RouteConfig {
    public func problems(at pointer: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ field: String, _ message: String) {
            problems.append(ConfigProblem(pointer: pointer + field, message: message))
        }
        if let message = FieldSyntax.nameProblem(name) { report("/name", message) }
        if hosts.count > FieldSyntax.maximumListLength {
            report("/hosts", "a route may list at most \(FieldSyntax.maximumListLength) hosts")
        }
        for (index, host) in hosts.prefix(FieldSyntax.maximumListLength).enumerated() {
            if let message = HostNameSyntax.routeHostProblem(host) {
                report("/hosts/\(index)", message)
            } else if FieldSyntax.repeatsEarlier(hosts, at: index) {
                report("/hosts/\(index)", "duplicate host \"\(host)\"")
            }
        }
        if let message = FieldSyntax.pathPrefixProblem(pathPrefix) { report("/path_prefix", message) }
        if methods.count > FieldSyntax.maximumListLength {
            report("/methods", "a route may list at most \(FieldSyntax.maximumListLength) methods")
        }
        for (index, method) in methods.prefix(FieldSyntax.maximumListLength).enumerated() {
            if let message = FieldSyntax.methodProblem(method) {
                report("/methods/\(index)", message)
            } else if FieldSyntax.repeatsEarlier(methods, at: index) {
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
