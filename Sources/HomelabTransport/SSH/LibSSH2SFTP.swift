import CSSH2

/// An SFTP subsystem session; shut down exactly once.
final class LibSSH2SFTP {
    let raw: OpaquePointer
    let session: LibSSH2Session

    init(raw: OpaquePointer, session: LibSSH2Session) {
        self.raw = raw
        self.session = session
    }

    deinit { session.withBoundedBlocking { _ = libssh2_sftp_shutdown(raw) } }

    /// The server's SFTP status code in words (SSH_FX_*).
    var lastStatus: String {
        switch libssh2_sftp_last_error(raw) {
        case 2: "no such file or directory"
        case 3: "permission denied"
        case 4: "failure"
        case 11: "file already exists"
        case 14: "no space on the file system"
        case 15: "quota exceeded"
        case let code: "SFTP status \(code)"
        }
    }
}

/// An open remote file; closed exactly once (the SFTP session outlives it).
final class LibSSH2SFTPFile {
    let raw: OpaquePointer
    private let sftp: LibSSH2SFTP
    var closed = false

    init(raw: OpaquePointer, sftp: LibSSH2SFTP) {
        self.raw = raw
        self.sftp = sftp
    }

    deinit {
        if !closed { sftp.session.withBoundedBlocking { _ = libssh2_sftp_close_handle(raw) } }
    }
}
