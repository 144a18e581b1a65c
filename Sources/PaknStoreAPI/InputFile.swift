import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PaknCore

/// A file pakn was told to read (`import`, `attach`, `intake --attach`, `--body-file`)
/// that it will not read: a device, FIFO or socket, a file over the limit, a sparse file,
/// a symbolic link out of the allowed folders.
public struct InputFileRefusal: Error, Localized, Equatable {
    public var path: String
    public var reason: Message
    public func text(_ lang: Lang) -> String { L10n.t("store.unreadable_file", lang, path, reason.text(lang)) }
}

/// Opens a file given on the command line the careful way (docs/security.md, "Files pakn
/// reads"): everything is decided from `stat` before a byte is read, and the bytes are then
/// read from the very file that was checked (the open descriptor), never more than the limit.
///
/// - Only regular files. A device (`/dev/zero`, `/dev/sda`), a FIFO or a socket is refused,
///   and opening never blocks on a FIFO (it is opened non-blocking, then checked).
/// - The size is checked against the limit first; a file that grows past it while being
///   read is refused too.
/// - A sparse file (over 1 MiB with less than a sixteenth of it on disk) is refused: it is
///   mostly holes, no scan or photo looks like that.
/// - A symbolic link is followed only when its target lies in the current folder, the
///   user's home or the temporary folder (each with everything below it). A file named
///   directly (not through a link) is read wherever it is, as any program would.
/// - The file must be readable by the real user (`access(2)`), so a setgid `pakn` never
///   reads for someone a file they could not read themselves.
public enum InputFile {
    public static let mebibyte: Int64 = 1_048_576

    /// The folders a symbolic link may point into, resolved.
    public static func allowedRoots() -> [String] {
        var roots = [FileManager.default.currentDirectoryPath, NSTemporaryDirectory(), "/tmp"]
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { roots.append(home) }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { roots.append(String(cString: dir)) }
        var out: [String] = []
        for r in roots {
            guard let real = realPath(r), real != "/", !out.contains(real) else { continue }
            out.append(real)
        }
        return out
    }

    package static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    package static func posixError(_ path: String, _ code: Int32) -> StoreError {
        StoreError.unreadable(path, NSError(domain: NSPOSIXErrorDomain, code: Int(code)))
    }

    /// Opens `path` for reading after the checks above; `limitMB` is the limit as the user
    /// knows it (a setting). Returns the handle and the file's size.
    public static func open(_ path: String, limitMB: Int) throws -> (handle: FileHandle, size: Int64) {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw posixError(path, errno) }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard let target = realPath(path) else { throw posixError(path, errno) }
            let roots = allowedRoots()
            guard roots.contains(where: { target == $0 || target.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
                throw InputFileRefusal(path: path, reason: Message("robust.file.symlink_outside", target))
            }
        } else if (st.st_mode & S_IFMT) == S_IFDIR {
            throw StoreError.unreadableFile(path: path, reason: "store.file.folder")
        } else if (st.st_mode & S_IFMT) != S_IFREG {
            throw InputFileRefusal(path: path, reason: Message("robust.file.not_regular"))
        }
        guard access(path, R_OK) == 0 else { throw posixError(path, errno) }
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw posixError(path, errno) }
        var fst = stat()
        guard fstat(fd, &fst) == 0 else { let e = errno; close(fd); throw posixError(path, e) }
        if (fst.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw StoreError.unreadableFile(path: path, reason: "store.file.folder")
        }
        guard (fst.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw InputFileRefusal(path: path, reason: Message("robust.file.not_regular"))
        }
        let size = Int64(fst.st_size)
        if size > Int64(limitMB) * mebibyte {
            close(fd)
            throw InputFileRefusal(path: path, reason: Message("robust.file.too_big", (size + mebibyte - 1) / mebibyte, limitMB))
        }
        if size > mebibyte, Int64(fst.st_blocks) * 512 * 16 < size {
            close(fd)
            throw InputFileRefusal(path: path, reason: Message("robust.file.sparse"))
        }
        // Back to blocking reads (it is a regular file; the flag only kept open() from waiting).
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (FileHandle(fileDescriptor: fd, closeOnDealloc: true), size)
    }

    /// The whole file, checked as `open` checks it, read in chunks and never past the limit.
    public static func read(_ path: String, limitMB: Int) throws -> Data {
        let (h, size) = try open(path, limitMB: limitMB)
        defer { try? h.close() }
        let limit = Int64(limitMB) * mebibyte
        var data = Data()
        data.reserveCapacity(Int(size))
        while true {
            let chunk: Data?
            do { chunk = try h.read(upToCount: 1 << 20) } catch { throw StoreError.unreadable(path, error) }
            guard let chunk, !chunk.isEmpty else { break }
            data.append(chunk)
            if Int64(data.count) > limit {
                throw InputFileRefusal(path: path, reason: Message("robust.file.grew", limitMB))
            }
        }
        return data
    }
}
