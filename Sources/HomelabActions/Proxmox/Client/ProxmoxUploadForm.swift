import HomelabTransport

/// The multipart form of an ISO upload. pve-http-server parses the parts in a fixed order:
/// content, checksum-algorithm, checksum, then the file part, which must be named `filename`.
enum ProxmoxUploadForm {
    /// The plain fields, in the order the server reads them.
    static func fields(of upload: ProxmoxUpload) -> [(String, String)] {
        var fields = [("content", upload.content)]
        if let checksum = upload.checksum {
            fields.append(("checksum-algorithm", upload.checksumAlgorithm ?? "sha256"))
            fields.append(("checksum", checksum))
        }
        return fields
    }

    /// Streams the file from disk with its length known (Proxmox refuses chunked uploads).
    static func form(for upload: ProxmoxUpload) -> HTTPMultipartForm {
        var form = HTTPMultipartForm()
        for (name, value) in fields(of: upload) { form.addField(name, value) }
        form.addFile(name: "filename", path: upload.path, filename: upload.filename)
        return form
    }
}
