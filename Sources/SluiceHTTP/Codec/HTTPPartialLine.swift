/// How far an incomplete field line has been validated, so the next call resumes there instead of
/// re-reading the line: a client sending a long line in tiny pieces costs linear, not quadratic, work.
/// Offsets are relative to the buffer start, which must not move between calls.
struct HTTPPartialLine {
    /// The line this progress belongs to; any other start means "fresh line".
    var lineStart = -1
    /// Every byte before this offset has been validated.
    var resumeAt = 0
    /// Offset of the colon once seen, else -1.
    var nameEnd = -1
    /// Offset of the first value byte after OWS once seen, else -1.
    var valueStart = -1

    mutating func clear() {
        lineStart = -1
    }
}
