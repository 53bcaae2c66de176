/// The field lines a handler adds to a response head, written straight into the loop's reusable
/// head buffer (no allocation in the steady state). The server adds `Server`, `Date`,
/// `Content-Length`/`Transfer-Encoding` and `Connection` itself: don't add those.
public struct HTTPResponseFields {
    var bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func add(_ name: StaticString, _ value: StaticString) {
        HTTPHeadWriter.appendField(name, value, to: &bytes)
    }

    public mutating func add(_ name: StaticString, _ value: ByteView) {
        HTTPHeadWriter.appendField(name, value.bytes, to: &bytes)
    }

    public mutating func add(_ name: StaticString, _ value: [UInt8]) {
        HTTPHeadWriter.appendField(name, value, to: &bytes)
    }

    public mutating func add(_ name: StaticString, decimal value: Int) {
        HTTPHeadWriter.appendField(name, decimal: value, to: &bytes)
    }

    /// A field copied from a parsed head (name and value as received and validated by the codec).
    public mutating func add(name: ByteView, value: ByteView) {
        HTTPHeadWriter.appendField(name.bytes, value.bytes, to: &bytes)
    }

    /// Cold path: CR, LF and NUL in either string become SP. (Named apart from `add(_:_:)` so a
    /// literal never resolves to this slower `String` overload.)
    public mutating func addString(_ name: String, _ value: String) {
        HTTPHeadWriter.appendField(name: name, value: value, to: &bytes)
    }
}
