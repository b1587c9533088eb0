"""Request parameters decoded exactly like pve-http-server does.

The traps are the point: pairs split on `&` AND `;`, each pair keeps only the text up to the
second `=`, `+` becomes a space, and a repeated key becomes an array. A client that does not
percent-encode `net0=virtio,bridge=vmbr0` sees the server receive `net0` = `virtio,bridge`.
"""
import json
import re

from .errors import ServerError

_ESCAPE = re.compile(r"%([0-9a-fA-F]{2})")


def _unescape(text):
    text = text.replace("+", " ")
    raw = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    # Perl works on bytes and then decodes UTF-8; latin-1 round-trips those bytes.
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return raw


def decode_urlencoded(text):
    """`a=1&b=2;c=x=y` -> {a: '1', b: '2', c: 'x'}; repeated keys -> lists."""
    result = {}
    if not text:
        return result
    for pair in re.split(r"[&;]", text):
        if pair == "":
            continue
        parts = pair.split("=")
        key = _unescape(parts[0])
        value = _unescape(parts[1]) if len(parts) > 1 else ""  # text after a second '=' is lost
        if key in result:
            previous = result[key]
            result[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            result[key] = value
    return result


def decode_body(content_type, body):
    """POST/PUT body parameters: form-urlencoded (also when no type is given) or JSON."""
    if not body:
        return {}
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ServerError(400, f"unable to parse JSON body - {error}")
        if not isinstance(value, dict):
            raise ServerError(400, "JSON body must be an object")
        return value
    return decode_urlencoded(body.decode("latin-1"))


def boundary_of(content_type):
    """The multipart boundary, parsed like pve-http-server's parse_content_type."""
    if not content_type:
        return None, None
    parts = re.split(r"\s*[;,]\s*", content_type.strip())
    for part in parts[1:]:
        m = re.match(r"^\s*boundary\s*=\s*(\S+?)\s*$", part)
        if m:
            return parts[0].lower(), m.group(1).strip('"')
    return parts[0].lower(), None
