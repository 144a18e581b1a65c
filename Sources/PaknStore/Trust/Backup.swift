import Foundation
import GRDB
import PaknCore

/// Backups with SQLite's online backup API: page by page from a consistent snapshot while
/// clerks keep working, never a `cp` of a live file (which can copy a torn page or miss
/// the WAL).
enum BackupFiles {
    static func exists(_ p: String) -> Bool { FileManager.default.fileExists(atPath: p) }

    static func remove(_ p: String) {
        for s in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: p + s) }
    }

    static func same(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
            == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func size(_ p: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func stamp(_ d: Date) -> String {
        ISO8601.format(d).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "+0700", with: "")
    }

    /// Whether a closed database file is a training one (nil when it cannot be read).
    static func isTraining(_ path: String) -> Bool? {
        var config = Configuration()
        config.readonly = true
        guard let q = try? DatabaseQueue(path: path, configuration: config) else { return nil }
        defer { try? q.close() }
        return try? q.read { try AppDatabase.setting($0, "training") == "1" }
    }

    /// Runs the consistency checks on a closed database file.
    static func check(_ path: String) throws -> ConsistencyReport {
        var config = Configuration()
        config.readonly = true
        let q = try DatabaseQueue(path: path, configuration: config)
        defer { try? q.close() }
        return try q.read { try TrustCheck.consistency($0) }
    }

    static func databaseError(_ path: String, _ error: Error) -> Error {
        if let e = error as? DatabaseError {
            return StoreError.databaseUnusable(path: path, reason: AppDatabase.reason(e))
        }
        return error
    }
}

extension AppDatabase {
    /// Copies the database to `dest` with the online backup API, checks the copy
    /// (integrity, foreign keys, both hash chains, every case replayed) and only then gives
    /// it its name: a failed or interrupted backup never leaves a file at `dest`.
    ///
    /// Needs `export_unredacted` over the whole database (its home unit). The backup is
    /// recorded in the access log first, so the copy carries the record of its making.
    func backup(to dest: String, force: Bool = false, by actor: Official, at now: Date) throws -> BackupResult {
        if BackupFiles.same(dest, path) { throw Message("trust.backup.same_file", dest) }
        if BackupFiles.exists(dest), !force { throw Message("trust.backup.exists", dest) }
        let me = try authorize(actor, .exportUnredacted, unitId: try homeUnitId() ?? actor.unitId, what: "backup \(dest)", at: now)
        try logAccess(AccessDraft(at: now, actorId: me.id, login: me.login, action: .backup, target: dest))
        let partial = dest + ".partial"
        BackupFiles.remove(partial)
        do {
            do {
                let modes = FileModes.policy(near: dest)
                try modes.createEmpty(partial, mode: modes.file)
                let q = try DatabaseQueue(path: partial)
                try pool.backup(to: q)
                // The copy is a file on its own, not a WAL database: checking or opening it
                // read-only then leaves no -wal/-shm beside it (a restore gives the live
                // database back its WAL).
                try q.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
                try q.close()
            } catch { throw BackupFiles.databaseError(dest, error) }
            let report = try BackupFiles.check(partial)
            // The check's read-only connection leaves the copy's -wal and -shm behind.
            for s in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + s) }
            guard report.ok else { throw Message("trust.backup.bad_copy", dest, report.lines(.en).joined(separator: " ")) }
            if BackupFiles.exists(dest) { BackupFiles.remove(dest) }
            try FileManager.default.moveItem(atPath: partial, toPath: dest)
            for s in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: partial + s) }
            return BackupResult(path: dest, bytes: BackupFiles.size(dest), check: report)
        } catch {
            BackupFiles.remove(partial)
            throw error
        }
    }

    /// Restores `backup` into `target` with the online backup API.
    ///
    /// The backup is first copied to a staging file next to the target, migrated and
    /// checked; `actorIn` must find an official allowed to manage officials over the whole
    /// database in it. An existing target is replaced only with `force`, by an official
    /// with the same right in it, and is first copied aside (`<target>.before-restore-<time>`).
    /// The restore is recorded in the restored database's access log.
    public static func restore(from backup: String, into target: String, force: Bool, at now: Date,
                               actorIn: (AppDatabase) throws -> Official) throws -> RestoreResult {
        guard BackupFiles.exists(backup) else { throw StoreError.databaseMissing(path: backup) }
        if BackupFiles.same(backup, target) { throw Message("trust.backup.same_file", target) }
        let targetExists = BackupFiles.exists(target)
        // A training backup over a production database would put made-up cases in place of
        // real ones and allow --as and --now: said plainly, and only ever with --force.
        let trainingOverProduction = targetExists && BackupFiles.isTraining(backup) == true
            && BackupFiles.isTraining(target) == false
        if trainingOverProduction, !force { throw Message("robust.restore.training_over_production", backup, target) }
        if targetExists, !force { throw Message("trust.restore.exists", target) }
        let staging = target + ".restoring"
        BackupFiles.remove(staging)
        defer { BackupFiles.remove(staging) }
        do {
            var config = Configuration()
            config.readonly = true
            let src = try DatabaseQueue(path: backup, configuration: config)
            let modes = FileModes.policy(near: target)
            try modes.createEmpty(staging, mode: modes.database)
            let dst = try DatabaseQueue(path: staging)
            try src.backup(to: dst)
            try dst.close()
            try src.close()
        } catch { throw BackupFiles.databaseError(backup, error) }

        let staged = try AppDatabase(path: staging, create: false)
        let check = try staged.checkConsistency()
        guard check.ok else { throw Message("trust.restore.bad_backup", backup, check.lines(.en).joined(separator: " ")) }
        let me = try actorIn(staged)
        try staged.authorize(me, .manageOfficials, unitId: try staged.homeUnitId() ?? me.unitId, what: "restore", at: now)

        var previous: String?
        var live: AppDatabase?
        if targetExists {
            let current = try AppDatabase(path: target, create: false)
            let them = try actorIn(current)
            try current.authorize(them, .manageOfficials, unitId: try current.homeUnitId() ?? them.unitId,
                                  what: "restore \(backup)", at: now)
            let aside = target + ".before-restore-" + BackupFiles.stamp(now)
            do {
                let modes = FileModes.policy(near: aside)
                try modes.createEmpty(aside, mode: modes.file)
                let q = try DatabaseQueue(path: aside)
                try current.pool.backup(to: q)
                try q.close()
            } catch { throw BackupFiles.databaseError(aside, error) }
            previous = aside
            live = current
        }
        try staged.logAccess(AccessDraft(at: now, actorId: me.id, login: me.login, action: .restore, target: target,
                                         note: backup, digest: try staged.chainHead()))
        do {
            if let live {
                try staged.pool.backup(to: try live.writingPool())
            } else {
                let modes = FileModes.policy(near: target)
                try modes.createEmpty(target, mode: modes.database)
                let q = try DatabaseQueue(path: target)
                try staged.pool.backup(to: q)
                try q.close()
            }
        } catch { throw BackupFiles.databaseError(target, error) }
        let restored = try AppDatabase(path: target, create: false)
        return RestoreResult(check: try restored.checkConsistency(), previousCopy: previous,
                             trainingOverProduction: trainingOverProduction)
    }
}
