/// The outcome of a nonblocking operation that did not fail: it either did something (and says
/// what, e.g. a byte count) or would have blocked. Would-block is a value, not an error, because on
/// an event loop it is the ordinary case.
@frozen
public enum IOResult<T>: Sendable where T: Sendable {
    case processed(T)
    case wouldBlock
}

extension IOResult: Equatable where T: Equatable {}
