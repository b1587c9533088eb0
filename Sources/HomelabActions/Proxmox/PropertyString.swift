/// A Proxmox property string, `virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=10`: comma-separated
/// `key=value` pairs, where the first item may omit its key (the format's default key).
public struct PropertyString: Sendable, Equatable {
    /// Pairs in their written order; the default-key item has the key "".
    public var items: [(key: String, value: String)]

    public init(_ text: String) {
        items = text.split(separator: ",", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pieces[0]).trimmingSpaces
            return pieces.count == 2 ? (key, String(pieces[1]).trimmingSpaces) : ("", key)
        }
    }

    /// The value of `key`; `defaultKey` names the key the first bare item stands for.
    public func value(_ key: String, defaultKey: String? = nil) -> String? {
        if let found = items.first(where: { $0.key == key }) { return found.value }
        if key == defaultKey, let bare = items.first(where: { $0.key.isEmpty }) { return bare.value }
        return nil
    }

    /// The first item as written: `virtio=<mac>` in net0, `local-zfs:vm-201-disk-0` in scsi0.
    public var first: (key: String, value: String)? { items.first }

    /// Replaces (or appends) `key`, keeping every other item and the order.
    public mutating func set(_ key: String, _ value: String?) {
        if let index = items.firstIndex(where: { $0.key == key }) {
            if let value { items[index].value = value } else { items.remove(at: index) }
        } else if let value {
            items.append((key, value))
        }
    }

    public var text: String {
        items.map { $0.key.isEmpty ? $0.value : "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    public static func == (lhs: PropertyString, rhs: PropertyString) -> Bool {
        lhs.items.count == rhs.items.count && zip(lhs.items, rhs.items).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
