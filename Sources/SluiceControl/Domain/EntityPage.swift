/// One page of a kind's entities, in working-configuration order, and how many there are in all.
public struct EntityPage: Sendable, Equatable {
    public var items: [StoredEntity]
    public var total: Int

    public init(items: [StoredEntity], total: Int) {
        self.items = items
        self.total = total
    }
}
