/// The entities of one kind that decoded, with their positions in the document when some did
/// not (so that later checks report correct indices and know what they cannot judge).
struct PartialList<Entity> {
    var entities: [Entity] = []
    /// Document positions of `entities`; nil when every element decoded (positions are indices).
    var positions: [Int]?

    var isComplete: Bool { positions == nil }

    func position(_ index: Int) -> Int { positions?[index] ?? index }
}
