import Foundation
import PaknCore

/// Remembers laid-out pieces of the frame between frames, keyed by everything they are
/// computed from, so that `DeskView.render` stays a pure function of the state while a move
/// re-lays out only what changed: the two queue rows whose highlight moved (a row is kept
/// as its drawn cells, copied into the grid) and the newly selected case's detail. A lookup compares the full inputs (the row or the detail, the
/// language, the categories, the width…); a miss computes the piece exactly as before. The
/// output never depends on what is cached, only the time it takes.
final class RenderMemo: @unchecked Sendable {
    static let shared = RenderMemo()

    private let lock = NSLock()

    /// Forgets everything (tests compare frames drawn with and without what is remembered).
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        rowContext = nil
        rowContextNumber += 1
        rows.removeAll()
        details.removeAll()
    }

    // MARK: Queue rows

    /// What a row's cells depend on besides the row itself.
    struct RowContext: Equatable {
        var columns: QueueColumns
        var width: Int
        var lang: Lang
        var categories: [PaknCore.Category]
    }

    struct RowKey: Equatable {
        var row: QueueRow
        var base: StyleRole
        var marked: Bool
        var draft: Bool
    }

    private var rowContext: RowContext?
    /// Bumped whenever the row context changes: a row remembered under an older number is
    /// never returned (so two frames of different contexts drawn at once stay apart).
    private var rowContextNumber = 0
    private var rows: [Int64: (context: Int, key: RowKey, cells: [Cell])] = [:]
    /// More than a window of rows (300) and its neighbours; cleared when exceeded.
    static let maxRows = 2_000

    /// The number of this frame's row context, compared once per frame instead of per row.
    func rowContextNumber(_ context: RowContext) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if rowContext != context {
            rowContext = context
            rowContextNumber += 1
            rows.removeAll(keepingCapacity: true)
        }
        return rowContextNumber
    }

    /// A row's cells (the row's whole width: its fill and its line), if remembered.
    func rowCells(_ key: RowKey, context: Int) -> [Cell]? {
        lock.lock()
        defer { lock.unlock() }
        guard let hit = rows[key.row.id], hit.context == context, hit.key == key else { return nil }
        return hit.cells
    }

    func remember(_ key: RowKey, context: Int, cells: [Cell]) {
        lock.lock()
        defer { lock.unlock() }
        guard context == rowContextNumber else { return }
        if rows.count >= Self.maxRows { rows.removeAll(keepingCapacity: true) }
        rows[key.row.id] = (context, key, cells)
    }

    // MARK: Detail

    struct DetailKey: Equatable {
        var detail: CaseDetail
        var lang: Lang
        var categories: [PaknCore.Category]
        var width: Int
    }

    /// The last few details laid out (the frame and the scroll clamp ask for the same one;
    /// the look-ahead lays out four more, `DeskRunner.lookAhead`).
    private var details: [(key: DetailKey, lines: [StyledLine])] = []
    static let maxDetails = 12

    func detailLines(_ key: DetailKey, make: () -> [StyledLine]) -> [StyledLine] {
        lock.lock()
        if let i = details.firstIndex(where: { $0.key == key }) {
            let lines = details[i].lines
            lock.unlock()
            return lines
        }
        lock.unlock()
        let lines = make()
        lock.lock()
        details.insert((key, lines), at: 0)
        if details.count > Self.maxDetails { details.removeLast() }
        lock.unlock()
        return lines
    }
}
