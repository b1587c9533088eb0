"""The upload body, parsed the way pve-http-server's file_upload_multipart does.

The real server walks the parts in order and hands the request to the API handler as soon as
the file part (which must be named `filename`) has ended and the body is complete, so form fields
sent AFTER the file never reach the handler: clients must send content, checksum-algorithm,
checksum, then the file. A file part under another name aborts the upload.
"""
import hashlib
import mmap
import os
import re
import tempfile

from .errors import ServerError

_DISPOSITION_NAME = re.compile(r"^\s*name\s*=\s*(\S+?)\s*$")
_DISPOSITION_FILE = re.compile(r"^\s*filename\s*=\s*(.+?)\s*$")


class Upload:
    """What the upload carried: form fields before the file, and the file in a temp path."""

    def __init__(self, fields, filename, path, size, md5):
        self.fields, self.filename, self.path, self.size, self.md5 = fields, filename, path, size, md5
        self.claimed = False  # set when an imgcopy task owns the file

    def discard(self):
        if self.path and os.path.exists(self.path):
            os.remove(self.path)


def spool(read, length, directory, chunk=1 << 20):
    """Copies exactly `length` body bytes from read() into a temp file; returns its path."""
    handle, path = tempfile.mkstemp(prefix="pveupload-", dir=directory)
    left = length
    with os.fdopen(handle, "wb") as out:
        while left > 0:
            data = read(min(chunk, left))
            if not data:
                os.remove(path)
                raise ServerError(400, "upload body ended early")
            out.write(data)
            left -= len(data)
    return path


def _disposition(line):
    parts = re.split(r"\s*[;,]\s*", line)
    name = filename = None
    for part in parts[1:]:
        m = _DISPOSITION_NAME.match(part)
        if m:
            name = m.group(1).strip('"')
            continue
        m = _DISPOSITION_FILE.match(part)
        if m:
            filename = m.group(1).strip('"')
    return parts[0].strip().lower(), name, filename


def parse(body_path, boundary, directory):
    """Splits the spooled body into fields and the file; raises 501 'upload failed' like pveproxy."""
    delimiter = b"--" + boundary.encode("latin-1")
    fields = {}
    with open(body_path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise ServerError(501, "upload failed")
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            at = data.find(delimiter)
            while at >= 0:
                at += len(delimiter)
                if data[at:at + 2] == b"--":
                    break  # closing delimiter before any file
                header_end = data.find(b"\r\n\r\n", at)
                if header_end < 0:
                    break
                headers = data[at:header_end].decode("latin-1").strip("\r\n").split("\r\n")
                disposition = name = filename = None
                for line in headers:
                    m = re.match(r"^Content-Disposition\s*:\s*(.*)", line, re.I)
                    if m:
                        disposition, name, filename = _disposition(m.group(1))
                if disposition != "form-data" or not name:
                    raise ServerError(501, "upload failed")  # "wrong content disposition in multipart"
                start = header_end + 4
                end = data.find(b"\r\n" + delimiter, start)
                if end < 0:
                    raise ServerError(501, "upload failed")
                if filename:
                    if name != "filename":
                        raise ServerError(501, "upload failed")  # "wrong field name for file upload"
                    fd, path = tempfile.mkstemp(prefix="pveupload-file-", dir=directory)
                    md5 = hashlib.md5()
                    with os.fdopen(fd, "wb") as out:
                        for offset in range(start, end, 1 << 20):
                            piece = data[offset:min(end, offset + (1 << 20))]
                            out.write(piece)
                            md5.update(piece)
                    # Everything after the file part is ignored: the request is handled now.
                    return Upload(fields, filename, path, end - start, md5.hexdigest())
                fields[name] = data[start:end].decode("utf-8", "replace")
                at = data.find(delimiter, end + 2)
        finally:
            data.close()
    raise ServerError(501, "upload failed")
