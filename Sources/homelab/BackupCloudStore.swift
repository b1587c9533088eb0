import Foundation
import HomelabActions
import HomelabCore

/// The cloud tier's store for commands: storage/'s bucket with its secrets. storage/ holds the
/// secrets' names only; a command reads each from the environment variable named after it
/// (`backup-s3-access-key` → BACKUP_S3_ACCESS_KEY) or from the file of that name in
/// --secrets-dir, never from the command line.
enum BackupCloudStore {
    static func make(_ config: StorageConfig, secretsDirectory: String?) async -> any BackupStore {
        guard let cloud = config.policy.cloud else { return NoBackupStore(reason: "storage/ configures no cloud tier") }
        do {
            return try LiveBackupStore.live(
                endpoint: cloud.endpoint, region: cloud.region, bucket: cloud.bucket, prefix: cloud.prefix,
                accessKey: try await secret(cloud.accessKeySecret, secretsDirectory), secretKey: try await secret(cloud.secretKeySecret, secretsDirectory),
                encryptionKeyHex: try await secret(cloud.encryptionKeySecret, secretsDirectory))
        } catch {
            return NoBackupStore(reason: "\(error)")
        }
    }

    /// BACKUP_S3_ACCESS_KEY for `backup-s3-access-key`.
    static func variable(for name: String) -> String {
        name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    private static func secret(_ name: String, _ directory: String?) async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let variable = variable(for: name)
        let source: Secret.Source
        if environment[variable] != nil {
            source = .environment(variable)
        } else if let directory {
            source = .file((directory as NSString).appendingPathComponent(name))
        } else {
            throw ActionError("secret '\(name)' is not set: export \(variable) or pass --secrets-dir DIR (a file named \(name))")
        }
        return try await LiveSecrets().value(of: Secret(name: name, location: .file("storage"), source: source), runbookFile: "./x")
    }
}
