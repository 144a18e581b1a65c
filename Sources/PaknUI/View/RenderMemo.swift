import Foundation
import PaknCore

/// Remembers laid-out pieces of the frame between frames, keyed by everything they are
/// computed from, so that `DeskView.render` stays a pure function of the state while a move
/// re-lays out only what changed: the two queue rows whose highlight moved and the newly
/// selected case's detail. A lookup compares the full inputs (the row or the detail, the
/// language, the categories, the width…); a miss computes the piece exactly as before. The
/// output never depends on what is cached, only the time it takes.
final class RenderMemo: @unchecked Sendable {
    static let shared = RenderMemo()

    private let lock = NSLock()

    // MARK: Queue rows

    /// What a row's line depends on besides the row itself.
    struct RowContext: Equatable {
        var columns: QueueColumns
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
    private var rows: [Int64: (key: RowKey, line: StyledLine)] = [:]
    /// More than a window of rows (300) and its neighbours; cleared when exceeded.
    static let maxRows = 2_000

    func row(_ key: RowKey, context: RowContext, make: () -> StyledLine) -> StyledLine {
        lock.lock()
        if rowContext != context {
            rowContext = context
            rows.removeAll(keepingCapacity: true)
        } else if let hit = rows[key.row.id], hit.key == key {
            lock.unlock()
            return hit.line
        }
        lock.unlock()
        let line = make()
        lock.lock()
        if rows.count >= Self.maxRows { rows.removeAll(keepingCapacity: true) }
        if rowContext == context { rows[key.row.id] = (key, line) }
        lock.unlock()
        return line
    }

    // MARK: Detail

    struct DetailKey: Equatable {
        var detail: CaseDetail
        var lang: Lang
        var categories: [PaknCore.Category]
        var width: Int
    }

    /// The last few details laid out (the frame and the scroll clamp ask for the same one).
    private var details: [(key: DetailKey, lines: [StyledLine])] = []
    static let maxDetails = 4

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
