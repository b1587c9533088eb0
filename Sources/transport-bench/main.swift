import Foundation

// Drives homelab's transports for `make bench`: one subcommand per transport, each owned by its
// own file, printing one JSON line of figures that the bench scripts compare with curl and ssh.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "http-get": exit(await HTTPBench.run(Array(arguments.dropFirst())))
case "ssh-push": exit(await SSHBench.run(Array(arguments.dropFirst())))
case "s3-backup": exit(await S3BackupBench.run(Array(arguments.dropFirst())))
case "ssh-receive": exit(await ZFSReceiveBench.run(Array(arguments.dropFirst())))
default:
    FileHandle.standardError.write(Data("usage: transport-bench http-get|ssh-push|s3-backup|ssh-receive ...\n".utf8))
    exit(2)
}
