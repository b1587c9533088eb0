"""Storage calls: list, content, upload (task imgcopy) and download-url (task download), with
the real rules for names, storage types and checksums."""
import bz2
import gzip
import hashlib
import os
import re
import shutil
import ssl
import tempfile
import urllib.request

from .errors import ServerError, TaskError, failed, param_error
from .storage import EXTENSIONS

COMPRESSIONS = ("gz", "lzo", "zst", "bz2")


def list_storages(ctx, params):
    lab = ctx.lab
    with lab.lock:
        items = lab.storages.status_list()
    if params.get("content"):
        wanted = set(params["content"].split(","))
        items = [i for i in items if wanted & set(i["content"].split(","))]
    if params.get("storage"):
        items = [i for i in items if i["storage"] == params["storage"]]
    return items


def list_content(ctx, params):
    lab = ctx.lab
    with lab.lock:
        storage = _storage(lab, params["storage"])
        return lab.storages.content(storage, params.get("content"), params.get("vmid"))


def _storage(lab, name):
    if not lab.storages.exists(name):
        raise failed(f"storage '{name}' does not exist")
    return name


def _target(lab, params):
    """Checks the storage can take the file and returns (normalised name, final path)."""
    storage = _storage(lab, params["storage"])
    definition = lab.storages.definition(storage)
    content = params["content"]
    if definition["type"] != "dir":
        raise failed(f"can't upload to storage type '{definition['type']}'")
    if content not in definition["content"]:
        raise failed(f"storage '{storage}' does not support '{content}' content")
    name = re.sub(r"[^A-Za-z0-9_.\-]", "_", params["filename"])
    if not name.lower().endswith(EXTENSIONS[content]):
        raise param_error({"filename": "wrong file extension"})
    return name, os.path.join(lab.storages.dir_path(storage, content), name)


def _digest(path, algorithm):
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_checksum_pair(params):
    if ("checksum" in params) != ("checksum-algorithm" in params):
        missing = "checksum-algorithm" if "checksum" in params else "checksum"
        raise param_error({missing: "'checksum' and 'checksum-algorithm' must be set together"})


def upload(ctx, params):
    lab = ctx.lab
    received = ctx.upload
    if received is None:
        raise ServerError(501, "upload failed")  # no body: nothing was received
    _check_checksum_pair(params)
    with lab.lock:
        name, path = _target(lab, params)

        def work():
            lines = [f"starting file import from: {received.path}", f"target node: {lab.node}",
                     f"target file: {path}", f"file size is: {received.size}"]
            if params.get("checksum"):
                got = _digest(received.path, params["checksum-algorithm"])
                if got != params["checksum"].lower():
                    raise TaskError(f"checksum mismatch: got '{got}' != expected '{params['checksum']}'")
                lines.append(f"calculated checksum matches: {got}")
            os.replace(received.path, path)  # the same name silently overwrites
            lines.append("finished file import successfully")
            return lines

        upid = ctx.start_task("imgcopy", "", work, lambda _m: received.discard())
        received.claimed = True
        return upid


def download_url(ctx, params):
    lab = ctx.lab
    _check_checksum_pair(params)
    if not re.match(r"^https?://", params["url"]):
        raise param_error({"url": "value does not match the regex pattern"})
    compression = params.get("compression")
    if compression and (compression not in COMPRESSIONS or params["content"] != "iso"):
        raise param_error({"compression": f"unsupported compression '{compression}'"})
    with lab.lock:
        name, path = _target(lab, params)

    def work():
        lines = [f"downloading {params['url']} to {path}"]
        algorithm, want = params.get("checksum-algorithm"), (params.get("checksum") or "").lower()
        if os.path.exists(path):
            if not want:
                raise TaskError(f"refusing to override existing file '{path}'")
            if _digest(path, algorithm) == want:
                return lines + [f"file already exists {path} - checksum matches, skipping download"]
            raise TaskError(f"checksum mismatch: existing file '{path}' differs - aborting")
        context = ssl.create_default_context() if params.get("verify-certificates", 1) else ssl._create_unverified_context()
        fd, temporary = tempfile.mkstemp(prefix=".download-", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as out:
                try:
                    with urllib.request.urlopen(params["url"], timeout=30, context=context) as response:
                        shutil.copyfileobj(response, out, 1 << 20)
                except OSError as error:
                    raise TaskError(f"download failed: {error}")
            if want:
                got = _digest(temporary, algorithm)
                if got != want:
                    raise TaskError(f"checksum mismatch: got '{got}' != expected '{want}'")
                lines.append(f"calculated checksum matches: {got}")
            if compression:
                temporary = _decompress(temporary, compression)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
        return lines + ["download of file finished"]

    with lab.lock:
        return ctx.start_task("download", name, work)


def _decompress(path, compression):
    openers = {"gz": gzip.open, "bz2": bz2.open}
    if compression not in openers:
        raise TaskError(f"decompression of '{compression}' is not available in the lab")
    target = path + ".raw"
    with openers[compression](path, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    os.remove(path)
    return target
