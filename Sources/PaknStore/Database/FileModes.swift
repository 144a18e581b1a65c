import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may read the files pakn writes: the database, its `-wal`/`-shm`, backups, the
/// partial copies a backup or restore writes, and attachments (docs/security.md, "Files").
///
/// By default only the account that ran pakn: files 0600, folders 0700. In a shared office a
/// group is configured — `$PAKN_GROUP` names it, or the database's folder is setgid (its
/// group is then the one) — and then the database files are 0660 (every clerk's pakn writes
/// them), other files 0640, folders 2770, all owned by that group.
public struct FileModes: Sendable, Equatable {
    /// The shared group, or nil for owner-only files.
    public let group: gid_t?

    /// The database, its `-wal` and `-shm` (SQLite gives those the database's mode).
    public var database: mode_t { group == nil ? 0o600 : 0o660 }
    /// Backups, partial copies, attachments.
    public var file: mode_t { group == nil ? 0o600 : 0o640 }
    /// Folders pakn makes (attachments): setgid in a shared office, so new files get the group.
    public var folder: mode_t { group == nil ? 0o700 : 0o2770 }

    /// The policy for files beside `path` (a database, a backup): `$PAKN_GROUP` when it names
    /// a group of this host, else the group of `path`'s folder when that folder is setgid.
    public static func policy(near path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> FileModes {
        if let name = environment["PAKN_GROUP"], !name.isEmpty {
            if let g = getgrnam(name) { return FileModes(group: g.pointee.gr_gid) }
            return FileModes(group: nil)   // an unknown group: the safe default, owner only
        }
        var dir = (path as NSString).deletingLastPathComponent
        if dir.isEmpty { dir = "." }
        var st = stat()
        if stat(dir, &st) == 0, st.st_mode & S_ISGID != 0 { return FileModes(group: st.st_gid) }
        return FileModes(group: nil)
    }

    /// The process umask for this policy: nothing for others, and nothing for the group
    /// unless one is configured. pakn sets it at startup (`main`).
    public var umask: mode_t { group == nil ? 0o077 : 0o007 }

    /// Creates `path` as a new empty file with `mode` exactly (whatever the umask), owned by
    /// the group when one is configured. An empty file is a valid empty SQLite database.
    /// An existing file is left alone.
    public func createEmpty(_ path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 {
            if errno == EEXIST { return }
            throw StoreError.unreadable(path, NSError(domain: NSPOSIXErrorDomain, code: Int(errno)))
        }
        defer { close(fd) }
        if let group { _ = fchown(fd, uid_t.max, group) }
        _ = fchmod(fd, mode)
    }

    /// Gives a file or folder this process made exactly `mode` and the group.
    public func set(_ path: String, mode: mode_t) {
        if let group { _ = chown(path, uid_t.max, group) }
        _ = chmod(path, mode)
    }

    /// Takes away from a file this process's account owns every permission bit the policy does
    /// not allow (a database made 0644 by an older pakn becomes 0600); never adds one, so a
    /// file made read-only stays read-only. Files of other accounts are left as they are.
    public func tighten(_ path: String, allowed: mode_t) {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == geteuid() else { return }
        let bits = st.st_mode & 0o7777
        if let group, st.st_gid != group { _ = chown(path, uid_t.max, group) }
        if bits & ~allowed != 0 { _ = chmod(path, bits & allowed) }
    }

    /// The database and its companions, after SQLite opened (and perhaps created) them.
    func tightenDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { tighten(path + suffix, allowed: database) }
    }
}
