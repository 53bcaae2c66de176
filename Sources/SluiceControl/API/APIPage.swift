import SluiceConfig

/// `limit`/`offset` pagination of list endpoints. Defaults: limit 100, offset 0; limit 1...1000.
/// The list response shape is `{"items": [...], "total": N, "limit": L, "offset": O}` where
/// `total` counts every item, not just this page's.
public struct APIPage: Sendable, Equatable {
    public static let defaultLimit = 100
    public static let maximumLimit = 1000

    public var limit: Int
    public var offset: Int

    /// Reads `limit` and `offset` from the query; a bad value is a 400.
    static func from(query: [String: String]) -> Result<APIPage, APIResponseError> {
        var page = APIPage(limit: defaultLimit, offset: 0)
        if let text = query["limit"] {
            guard let limit = Int(text), limit >= 1, limit <= maximumLimit else {
                return .failure(APIResponseError(.error(400, "query parameter limit must be a whole number from 1 to \(maximumLimit)")))
            }
            page.limit = limit
        }
        if let text = query["offset"] {
            guard let offset = Int(text), offset >= 0 else {
                return .failure(APIResponseError(.error(400, "query parameter offset must be a whole number of at least 0")))
            }
            page.offset = offset
        }
        return .success(page)
    }

    /// One page already cut by the store, wrapped in the list shape.
    func wrap(_ items: [JSONValue], total: Int) -> JSONValue {
        .object([
            .init("items", .array(items)),
            .init("total", .integer(Int64(total))),
            .init("limit", .integer(Int64(limit))),
            .init("offset", .integer(Int64(offset))),
        ])
    }

    /// This page of a whole in-memory list, wrapped in the list shape.
    func wrap(all items: [JSONValue]) -> JSONValue {
        let start = min(offset, items.count)
        let end = min(start + limit, items.count)
        return wrap(Array(items[start..<end]), total: items.count)
    }
}

/// A response carried as an error, so endpoint code can `throw` its way out to one answer.
public struct APIResponseError: Error, Sendable {
    public var response: APIResponse
    public init(_ response: APIResponse) { self.response = response }
}
