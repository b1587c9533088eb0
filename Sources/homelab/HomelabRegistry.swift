import HomelabActions
import HomelabCore

/// The actions the CLI offers: the engine's built-ins plus the integrations, on live transports.
enum HomelabRegistry {
    static func make() -> ActionRegistry {
        ActionCatalog.standard(.live())
    }
}
