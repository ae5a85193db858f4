@testable import Dashboard
import Foundation
import Testing

/// The incremental order: after any sequence of upserts and removals the rows equal a full
/// sort of what is held, and an index found by id is the row's.
@Suite struct SortedRowsTests {
    struct Row: Equatable {
        var id: String
        var key: Int
    }

    @Test func randomChangesKeepTheSameOrderAsAFullSort() {
        var generator = SystemRandomNumberGenerator()
        let ordered: (Row, Row) -> Bool = { $0.key != $1.key ? $0.key > $1.key : $0.id > $1.id }
        var rows = SortedRows<Row>(id: { $0.id }, ordered: ordered)
        var reference: [String: Row] = [:]
        for step in 0..<5_000 {
            let id = "r\(Int.random(in: 0..<300, using: &generator))"
            if step % 7 == 0 {
                rows.remove(id: id)
                reference[id] = nil
            } else {
                let row = Row(id: id, key: Int.random(in: 0..<50, using: &generator))
                let at = rows.upsert(row)
                reference[id] = row
                #expect(rows.rows[at] == row)
            }
        }
        #expect(rows.rows == reference.values.sorted(by: ordered))
        for (index, row) in rows.rows.enumerated() { #expect(rows.index(of: row.id) == index) }
    }

    @Test func trimKeepsTheSelection() {
        var rows = SortedRows<Row>(id: { $0.id }, ordered: { $0.key < $1.key })
        for n in 0..<10 { rows.upsert(Row(id: "r\(n)", key: n)) }
        rows.trim(to: 5, keeping: "r9", fromFront: false)
        #expect(rows.rows.map(\.id) == ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"], "the selected last row stops the trim")
        rows.trim(to: 5, keeping: "r0", fromFront: true)
        #expect(rows.count == 10)
        rows.trim(to: 5, keeping: nil, fromFront: true)
        #expect(rows.rows.map(\.id) == ["r5", "r6", "r7", "r8", "r9"])
    }
}
