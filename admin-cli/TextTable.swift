/// A table for humans: a header row and rows, columns padded to their widest cell (two spaces
/// between columns, the last column unpadded). An empty cell prints as `-`.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func append(_ cells: [String]) {
        rows.append(cells.map { $0.isEmpty ? "-" : $0 })
    }

    var text: String {
        let all = [headers] + rows
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var lines: [String] = []
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() where index < widths.count {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
