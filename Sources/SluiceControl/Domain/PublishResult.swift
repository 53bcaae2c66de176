/// What `publish` did: `created` false means the working configuration equals the latest version
/// already (same `sha256`), which is returned instead of a duplicate.
public struct PublishResult: Sendable, Equatable {
    public var version: VersionRecord
    public var created: Bool

    public init(version: VersionRecord, created: Bool) {
        self.version = version
        self.created = created
    }
}
