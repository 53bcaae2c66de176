/// How a version came to be.
public enum VersionKind: String, Sendable, Equatable {
    /// `POST /v1/versions`: the working configuration, published.
    case publish
    /// `POST /v1/versions/{n}/rollback`: version n's content, published again.
    case rollback
}
