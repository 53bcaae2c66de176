import SluiceHTTP
/// The last status a data-plane node reported.
public struct DataplaneRecord: Sendable, Equatable {
    public var nodeID: String
    public var hostname: String
    /// The version the node runs (0: none yet).
    public var appliedVersion: Int
    public var lastSeen: UTCTime
    /// The node's last error (e.g. a version it failed to apply), nil when it reported none.
    public var lastError: String?

    public init(nodeID: String, hostname: String, appliedVersion: Int, lastSeen: UTCTime, lastError: String?) {
        self.nodeID = nodeID
        self.hostname = hostname
        self.appliedVersion = appliedVersion
        self.lastSeen = lastSeen
        self.lastError = lastError
    }
}
