import Foundation
import HomelabCore

/// Which repositories' kubernetes/ and flux/ trees `validate` checks, and how their files are named.
enum ManifestValidation {
    /// With no path: this directory, when it has kubernetes/ or flux/. With paths: the
    /// repository root of every path that is, or is inside, a kubernetes/ or flux/ tree; the
    /// other paths stay runbook paths.
    static func split(_ paths: [String]) -> (runbookPaths: [String], roots: [String]) {
        var runbookPaths: [String] = []
        var roots: [String] = []
        for path in paths {
            // kubernetes/ or flux/ directly under the repository root: a runbook that merely sits
            // below some folder named flux stays a runbook.
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            guard let root = ManifestValidator.repositoryRoot(containing: path),
                let first = absolute.dropFirst(root.count).split(separator: "/").first, ["kubernetes", "flux"].contains(first)
            else {
                runbookPaths.append(path)
                continue
            }
            let shown = display(root)
            if !roots.contains(shown) { roots.append(shown) }
        }
        return (runbookPaths, roots)
    }

    static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    /// A root as diagnostics name it: `.` for this directory, relative below it, else absolute.
    static func display(_ absolute: String) -> String {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        if absolute == here { return "." }
        if absolute.hasPrefix(here + "/") { return String(absolute.dropFirst(here.count + 1)) }
        return absolute
    }

    static func check(roots: [String]) -> ManifestReport {
        var combined = ManifestReport()
        for root in roots {
            let report = ManifestValidator.validate(root: root, domain: ManifestValidator.domain(root: root))
            combined.diagnostics.append(contentsOf: report.diagnostics)
            combined.waivers += report.waivers
            combined.suppressed += report.suppressed
            combined.serviceCount += report.serviceCount
            combined.appCount += report.appCount
        }
        return combined
    }

    /// A SARIF artifact URI: relative to this directory when the file is below it.
    static func uri(_ file: String) -> String {
        guard file.hasPrefix("/") else { return file }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        return file.hasPrefix(here + "/") ? String(file.dropFirst(here.count + 1)) : file
    }
}
