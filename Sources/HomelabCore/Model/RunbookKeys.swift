/// The keys a runbook file may use, in one place: the decoder checks against them, the
/// reference in docs/runbooks.md is tested against them.
public enum RunbookKeys {
    public static let topLevel = ["runbook", "description", "inventory", "params", "secrets", "defaults", "notify", "steps"]
    public static let notify = ["on", "with"]
    public static let param = ["description", "default", "enum", "required"]
    public static let secret = ["description", "env", "file", "command"]
    public static let defaults = ["retry", "timeout"]
    public static let retry = ["attempts", "backoff", "max-backoff"]
    public static let step = [
        "id", "uses", "description", "with", "needs", "for-each", "when", "retry", "timeout",
        "serial", "drill", "finally", "destructive",
    ]
}
