import PaknUI

extension DeskRunner {
    /// Whether the case `code` is on the desk's current list: from the top, row by row
    /// (each step with its idle work, as the terminal loop does), until it is found or the
    /// list ends.
    func walkFinds(_ code: String) -> Bool {
        send(.char("g"))
        var seen: Set<String> = []
        var last: Int64?
        while let row = state.selectedRow, row.id != last, !seen.contains(code) {
            seen.insert(row.code)
            last = row.id
            send(.down)
            idle()
        }
        return seen.contains(code)
    }
}
