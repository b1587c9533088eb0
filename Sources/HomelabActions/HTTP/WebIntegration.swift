import HomelabCore

/// Plain HTTP(S) over libcurl: `http.check` and `notify` (ntfy, Gotify).
public enum WebIntegration: Integration {
    public static func live(_ settings: LiveSettings) -> any WebClient { LiveWebClient() }

    public static var unavailable: any WebClient { NoWebClient() }

    public static func actions(_ web: any WebClient) -> [any Action] {
        [HTTPCheck(web: web), Notify(web: web)]
    }
}
