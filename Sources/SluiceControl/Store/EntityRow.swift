/// One stored entity row: key, the referenced name (if the kind has one), canonical JSON text.
struct EntityRow: Sendable, Equatable {
    var key: String
    var reference: String?
    var json: String
}
