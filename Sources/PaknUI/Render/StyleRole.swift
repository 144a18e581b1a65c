/// Semantic roles of what is drawn. Views say *what* a cell is; themes (themes/*.toml) say
/// how each role looks. Adding a role means adding it to every shipped theme (a test checks).
public enum StyleRole: String, CaseIterable, Sendable, Hashable {
    case normal
    case dim
    case emphasis
    case titleBar = "title.bar"
    case titleView = "title.view"
    case titleViewActive = "title.view.active"
    case titleCount = "title.count"
    /// The banner that says the database is a training one.
    case titleTraining = "title.training"
    case queueHeader = "queue.header"
    case queueRow = "queue.row"
    case queueSelected = "queue.selected"
    case queueSelectedUnfocused = "queue.selected.unfocused"
    case queueMarked = "queue.marked"
    case queueGroup = "queue.group"
    case paneBorder = "pane.border"
    case paneBorderFocused = "pane.border.focused"
    case paneTitle = "pane.title"
    case detailLabel = "detail.label"
    case detailValue = "detail.value"
    case detailMasked = "detail.masked"
    case historyTime = "history.time"
    case historyActor = "history.actor"
    case historyAction = "history.action"
    case deadlineOk = "deadline.ok"
    case deadlineDueSoon = "deadline.due_soon"
    case deadlineOverdue = "deadline.overdue"
    case deadlinePaused = "deadline.paused"
    case deadlineDone = "deadline.done"
    case editorText = "editor.text"
    case editorCursor = "editor.cursor"
    case pickerItem = "picker.item"
    case pickerSelected = "picker.selected"
    case pickerMatch = "picker.match"
    case statusLine = "status.line"
    case statusError = "status.error"
    case statusInfo = "status.info"
    case prompt
    case helpKey = "help.key"
    case helpText = "help.text"
    case overlay
    case controlChar = "control.char"
}
