/// The one place a `StoreError` becomes a status and a body.
extension APIResponse {
    init(storeError: StoreError) {
        switch storeError {
        case .invalid(let problems): self = .problems(422, problems)
        case .conflict(let message): self = .error(409, message)
        case .notFound(let what): self = .error(404, "\(what) not found")
        case .preconditionFailed(let message): self = .error(412, message)
        default: self = .error(500, "internal error: the database failed")
        }
    }
}
