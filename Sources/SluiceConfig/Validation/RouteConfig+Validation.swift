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
        if let message = HeaderNameSyntax.problem(apiKeyHeader, field: "api_key_header") { report("/api_key_header", message) }
        claimProblems(at: pointer, into: &problems)
        if let rateLimit { problems += rateLimit.problems(at: pointer + "/rate_limit") }
        return problems
    }

    /// `claims_to_headers`: at most 32 entries on a route that accepts JWTs, claims as text,
    /// header names valid and unique ignoring case (and `_` versus `-`), none equal to `api_key_header`.
    private func claimProblems(at pointer: String, into problems: inout [ConfigProblem]) {
        guard !claimsToHeaders.isEmpty else { return }
        let listPointer = pointer + "/claims_to_headers"
        if auth != .jwt && auth != .jwtOrAPIKey {
            problems.append(ConfigProblem(pointer: listPointer,
                                          message: "claims_to_headers needs auth \"jwt\" or \"jwt_or_api_key\""))
        }
        if claimsToHeaders.count > RouteConfig.maximumClaimsToHeaders {
            problems.append(ConfigProblem(pointer: listPointer,
                                          message: "claims_to_headers may have at most \(RouteConfig.maximumClaimsToHeaders) entries"))
        }
        var seen: [String: String] = [HeaderNameSyntax.comparableName(apiKeyHeader): "api_key_header"]
        for entry in claimsToHeaders.prefix(RouteConfig.maximumClaimsToHeaders) {
            let entryPointer = JSONPointer.appending(listPointer, entry.claim)
            if let message = FieldSyntax.textProblem(entry.claim, what: "claim name") {
                problems.append(ConfigProblem(pointer: entryPointer, message: message))
            }
            if let message = HeaderNameSyntax.problem(entry.header, field: "header") {
                problems.append(ConfigProblem(pointer: entryPointer, message: message))
            } else {
                let name = HeaderNameSyntax.comparableName(entry.header)
                if let earlier = seen[name] {
                    problems.append(ConfigProblem(pointer: entryPointer,
                                                  message: "header \(entry.header) is already used by \(earlier)"))
                } else {
                    seen[name] = "claim \"\(entry.claim)\""
                }
            }
        }
    }
}
