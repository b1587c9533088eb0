import CSSH2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Copies a local file to the server over SFTP, in large writes, on the connection's thread.
struct SSHUpload {
    let state: SSHSessionState
    let session: LibSSH2Session
    let localPath: String
    let remotePath: String
    let permissions: Int
    let deadline: SSHDeadline

    func run() throws -> Int {
        let feed = try SSHStdinFeed(filePath: localPath, endpoint: state.endpoint)
        guard let rawSFTP = try state.retry(session, .upload, deadline, { libssh2_sftp_init(session.raw) }) else {
            throw state.failure(session.lastErrorCode, session, .upload, "starting SFTP")
        }
        let sftp = LibSSH2SFTP(raw: rawSFTP, session: session)
        let opened = try state.retry(session, .upload, deadline) {
            hl_sftp_open_for_writing(sftp.raw, remotePath, permissions)
        }
        guard let rawFile = opened else {
            if session.lastErrorCode == LIBSSH2_ERROR_SFTP_PROTOCOL {
                throw SSHError.remoteFile(endpoint: state.endpoint, path: remotePath, reason: sftp.lastStatus)
            }
            throw state.failure(session.lastErrorCode, session, .upload, "opening \(remotePath)")
        }
        let file = LibSSH2SFTPFile(raw: rawFile, sftp: sftp)
        var total = 0
        while try feed.state() == .data {
            // EAGAIN means "call again with the same buffer"; the feed only moves on what was written.
            let written = try state.retryCount(session, .upload, deadline) {
                feed.withPending { pointer, length in hl_sftp_write(file.raw, pointer, min(length, 256 << 10)) }
            }
            guard written > 0 else {
                if written == Int(LIBSSH2_ERROR_SFTP_PROTOCOL) {
                    throw SSHError.remoteFile(endpoint: state.endpoint, path: remotePath, reason: sftp.lastStatus)
                }
                throw state.failure(Int32(written), session, .upload, "writing \(remotePath)")
            }
            feed.consumed(written)
            total += written
        }
        let rc = try state.retry(session, .upload, deadline) { libssh2_sftp_close_handle(file.raw) }
        file.closed = true
        if rc != 0 {
            throw SSHError.remoteFile(endpoint: state.endpoint, path: remotePath, reason: "closing it failed: \(sftp.lastStatus)")
        }
        return total
    }
}

extension SSHSessionState {
    /// `retry` for calls that return a byte count.
    func retryCount(_ session: LibSSH2Session, _ phase: SSHPhase, _ deadline: SSHDeadline, _ body: () -> Int) throws -> Int {
        while true {
            let count = body()
            guard count == Int(LIBSSH2_ERROR_EAGAIN) else { return count }
            try waitSocket(session, phase, deadline)
        }
    }
}
