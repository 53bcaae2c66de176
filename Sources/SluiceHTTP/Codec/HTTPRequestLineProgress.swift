/// How far an incomplete request line has been read (see `HTTP1RequestParser.parseRequestLine`).
struct HTTPRequestLineProgress {
    enum Phase { case method, target, version }
    var phase = Phase.method
    /// Bytes before this offset are validated; -1 for none.
    var resumeAt = -1
    /// The first `?` of the target seen so far, or -1.
    var queryStart = -1
}
