/// What `ControlAPI` decided for a request: answer now, or park it as a long poll.
public enum APIOutcome: Sendable {
    case respond(APIResponse)
    /// `GET /v1/dataplane/snapshot` with nothing newer than `after` yet: answer when a version
    /// greater than `after` is published, or 304 after `waitNanoseconds`.
    case longPoll(after: Int, waitNanoseconds: UInt64)
}
