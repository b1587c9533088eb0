import Foundation

/// How many columns a terminal has, so the live view can cut its lines short: a line that wraps
/// takes two rows, and the redraw would then erase one row too few.
public enum TerminalWidth {
    /// The width of the terminal on `descriptor`, or `fallback` when it is not a terminal.
    public static func of(_ descriptor: Int32, fallback: Int = 80) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return fallback }
        return Int(size.ws_col)
    }
}
