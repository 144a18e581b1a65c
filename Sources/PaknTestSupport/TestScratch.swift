import Foundation

/// Folders for one test process's files (`<temp>/<name>-<pid>`), removed when the process
/// exits. A full run makes gigabytes of demo databases; without this they stayed in the
/// temporary folder after every run. Folders that a test process which is no longer running
/// left behind (it crashed, or was killed) are removed the first time a folder of the same
/// name is asked for.
public enum TestScratch {
    /// The folder `name` of this process, created if needed.
    public static func folder(_ name: String) -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
        let first: Bool = lock.withLock {
            if registered.contains(dir.path) { return false }
            if registered.isEmpty { atexit { TestScratch.removeAll() } }
            registered.append(dir.path)
            return true
        }
        if first { removeLeftovers(name) }
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A path for a new file in the folder `name`: `<stem>-<uuid>.<ext>`.
    public static func path(in name: String, _ stem: String, ext: String = "sqlite") -> String {
        folder(name).appendingPathComponent("\(stem)-\(UUID().uuidString).\(ext)").path
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered: [String] = []

    private static func removeAll() {
        for dir in lock.withLock({ registered }) { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// `<name>-<pid>` folders whose process is gone.
    private static func removeLeftovers(_ name: String) {
        let tmp = FileManager.default.temporaryDirectory
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] {
            guard entry.hasPrefix(name + "-"), let pid = Int32(entry.dropFirst(name.count + 1)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(at: tmp.appendingPathComponent(entry))
            }
        }
    }
}
