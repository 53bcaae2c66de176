import SluiceConfig

/// Validate, publish, history, diff and rollback: `/v1/config/validate`, `/v1/versions...`.
extension ControlAPI {
    func validateConfig(_ call: APICall) throws -> APIResponse {
        let problems = try store.validateWorking()
        guard problems.isEmpty else { return .problems(422, problems) }
        return .json(200, .object([.init("valid", .bool(true))]))
    }

    /// 201 with the new version's metadata; 200 with the latest version's when the working
    /// configuration equals it (nothing is published twice); 422 when it is invalid.
    func publishVersion(_ call: APICall) throws -> APIResponse {
        let body = try call.optionalObjectBody()
        var comment = ""
        if let value = body["comment"] {
            guard case .string(let text) = value else {
                throw APIResponseError(.problems(422, [ConfigProblem(pointer: "/comment", message: "expected a string")]))
            }
            comment = text
        }
        let result = try store.publish(comment: comment, actor: call.actor)
        return .json(result.created ? 201 : 200, Self.versionJSON(result.version),
                     headers: [("Location", "/v1/versions/\(result.version.version)")])
    }

    func listVersions(_ call: APICall) throws -> APIResponse {
        let page = try call.page()
        let versions = try store.versions(limit: page.limit, offset: page.offset)
        return .json(200, page.wrap(versions.map(Self.versionJSON), total: try store.versionCount()))
    }

    func getVersion(_ call: APICall) throws -> APIResponse {
        let number = try call.integerParameter("n")
        guard let version = try store.version(number) else { throw StoreError.notFound("version \(number)") }
        guard case .object(var members) = Self.versionJSON(version),
              let snapshot = try? JSONParser.parse(version.snapshotJSON) else { return .error(500, "internal error") }
        members.append(.init("snapshot", snapshot))
        return .json(200, .object(members))
    }

    func diffVersions(_ call: APICall) throws -> APIResponse {
        let version = try call.integerParameter("n")
        guard let text = call.request.query["against"] else {
            throw APIResponseError(.error(400, "query parameter against is required"))
        }
        guard let against = Int(text), against >= 0 else {
            throw APIResponseError(.error(400, "query parameter against must be a version number"))
        }
        return .json(200, try store.diff(version, against: against).jsonValue)
    }

    /// 201 `{"version": new, "rolled_back_from": n, ...metadata}`.
    func rollbackVersion(_ call: APICall) throws -> APIResponse {
        let target = try call.integerParameter("n")
        let version = try store.rollback(to: target, actor: call.actor)
        guard case .object(var members) = Self.versionJSON(version) else { return .error(500, "internal error") }
        members.removeAll { $0.key == "rolled_back_from" }
        members.insert(.init("rolled_back_from", .integer(Int64(target))), at: 1)
        return .json(201, .object(members), headers: [("Location", "/v1/versions/\(version.version)")])
    }

    /// Version metadata: `version`, `sha256`, `created_at`, `created_by`, `comment`, `kind`
    /// (`publish` or `rollback`), `rolled_back_from` (null for a publish).
    static func versionJSON(_ version: VersionRecord) -> JSONValue {
        .object([
            .init("version", .integer(Int64(version.version))),
            .init("sha256", .string(version.sha256)),
            .init("created_at", .string(version.createdAt.rfc3339)),
            .init("created_by", .string(version.createdBy)),
            .init("comment", .string(version.comment)),
            .init("kind", .string(version.kind.rawValue)),
            .init("rolled_back_from", version.rolledBackFrom.map { .integer(Int64($0)) } ?? .null),
        ])
    }
}
