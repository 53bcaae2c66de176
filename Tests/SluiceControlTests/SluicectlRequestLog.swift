import Synchronization

/// The requests a scripted server received, in order; shared with its connection threads.
final class SluicectlRequestLog: Sendable {
    private let requests = Mutex<[String]>([])

    /// Appends a request and returns its index.
    func append(_ request: String) -> Int {
        requests.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
    }

    var all: [String] { requests.withLock { $0 } }
}
