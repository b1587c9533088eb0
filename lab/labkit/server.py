"""The Proxmox VE API double over HTTPS: pveproxy's request handling in front of the handlers.

Order as in pve-http-server: transfer-encoding check, token auth (every 401 delayed), body
rules (content only on POST/PUT, 512 KiB limit, form/JSON, multipart only for upload), then
the schema (unknown method/path -> 501, parameters validated), then the handler. Any status
>= 400 closes the connection, as pveproxy does; idle keep-alive connections close after 5 s.
"""
import json
import os
import re
import socket
import ssl
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from . import faults as faultrules
from . import multipart, params as decoding, specs
from .context import Context, Reply
from .errors import ApiError, ServerError
from .routes import ROUTES, UPLOAD

BASE = "/api2/json"
MAX_POST = 512 * 1024
SECRET_NAMES = re.compile(r"password|secret|token|sshkeys", re.I)  # cipassword, sshkeys, ...


class _Dropped(Exception):
    """The connection was closed on purpose (a drop fault): nothing more to send."""


class ProxmoxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pve-api-daemon/3.0"
    sys_version = ""
    timeout = 5  # pveproxy's idle/IO timeout: idle keep-alive connections are closed after it

    def setup(self):
        super().setup()
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError):
            self.close_connection = True
            raise

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        pass  # the request log is in the lab state (GET /requests); stderr stays quiet

    def handle_expect_100(self):
        return True  # pve-http-server never sends 100 Continue: clients wait out their timeout

    def do_GET(self):
        self._api()

    do_POST = do_PUT = do_DELETE = do_GET

    def do_HEAD(self):
        self._plain(501, f"method '{self.command}' not available")

    do_PATCH = do_OPTIONS = do_HEAD

    # -- the request -------------------------------------------------------------------------

    def _api(self):
        lab = self.server.lab
        record = {"time": time.time(), "method": self.command, "path": None, "params": None, "status": None}
        # Logged on arrival and filled in as it is served, so a client that has its answer
        # always finds its request in the log.
        with lab.lock:
            lab.requests.append(record)
            del lab.requests[:-10000]  # a long-running `make lab-up` must not grow forever
        self._body_read = False
        self._upload = None
        try:
            self._serve(lab, record)
        except _Dropped:
            record["status"] = "dropped"
        except ServerError as error:
            self._drain()
            self._discard_unclaimed()
            record["status"] = error.status
            self._plain(error.status, error.message)
        except ApiError as error:
            self._drain()
            self._discard_unclaimed()
            record["status"] = error.status
            self._error(error)
        except (ConnectionError, ssl.SSLError, socket.timeout):
            self.close_connection = True
            record["status"] = "disconnected"
        except Exception as error:  # a bug in the double: answer it like a die in a handler
            traceback.print_exc()
            record["status"] = 500
            self._error(ApiError(500, f"lab double internal error: {error}"))
        finally:
            self._discard_unclaimed()

    def _discard_unclaimed(self):
        """A refused upload leaves no scratch file; removed before the answer goes out, so a
        client that saw the answer never sees the file."""
        if self._upload is not None and not self._upload.claimed:
            self._upload.discard()

    def _serve(self, lab, record):
        encoding = self.headers.get("Transfer-Encoding")
        if encoding:
            if encoding.lower() == "chunked":
                raise ServerError(501, "chunked transfer encoding not supported")
            raise ServerError(501, f"Unknown transfer encoding '{encoding}'")
        url = urlsplit(self.path)
        path = unquote(url.path)
        record["path"] = path
        if not path.startswith(BASE + "/") and path != BASE:
            raise ServerError(501, f"no such file '{path}'")
        relative = path[len(BASE):] or "/"
        user = self._authenticate(lab)
        length = int(self.headers.get("Content-Length") or 0)
        if length and self.command not in ("POST", "PUT"):
            raise ServerError(501, f"Unexpected content for method '{self.command}'")
        template, path_params = lab.schema.match(relative)
        ctx = Context(lab, user)
        query = decoding.decode_urlencoded(url.query)
        if (self.command, template) == UPLOAD and length:
            params = self._read_upload(lab, ctx, length, query)
        else:
            if length > MAX_POST:
                raise ServerError(501, "for data too large")
            body = self.rfile.read(length) if length else b""
            self._body_read = True
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if body and kind not in ("", "application/x-www-form-urlencoded", "application/json"):
                raise ServerError(506, f"upload 'Content-Type '{self.headers.get('Content-Type')}' not implemented")
            params = decoding.decode_body(kind, body)
            params.update(query)  # query parameters are merged on top of the body's
        record["params"] = _without_secrets(params)

        with lab.lock:
            fault = faultrules.take(lab.faults, self.command, template, relative)
        if fault:
            record["fault"] = fault["kind"]
            if fault["kind"] == "delay":
                time.sleep(fault["seconds"])
            elif fault["kind"] == "status":
                raise ApiError(fault["status"], fault["reason"])
            elif fault["kind"] == "drop":
                self._drop()
            elif fault["kind"] == "no-worker-upid":
                ctx.no_worker = True

        answer = self._dispatch(lab, ctx, template, relative, path_params, params)
        if fault and fault["kind"] == "after":
            raise ApiError(fault["status"], fault["reason"])
        if fault and fault["kind"] == "drop-after":
            self._drop()
        record["status"] = 200
        self._json(200, "OK", answer)

    def _authenticate(self, lab):
        header = self.headers.get("Authorization") or ""
        found = re.search(r"(?:^|[\s;])PVEAPIToken[= ]([^;]*)", header)
        if not found:
            self._unauthorized(lab, "No ticket")
        value = unquote(found.group(1).strip())
        token_id, _, secret = value.rpartition("=")
        if token_id != specs.TOKEN_ID or secret != lab.identity.secret:
            self._unauthorized(lab, "Authentication failed!")
        return token_id

    def _unauthorized(self, lab, reason):
        time.sleep(lab.settings["auth_failure_delay"])  # the real server delays every 401 by 3 s
        raise ApiError(401, reason)

    def _read_upload(self, lab, ctx, length, query):
        content_type = self.headers.get("Content-Type") or ""
        kind, boundary = decoding.boundary_of(content_type)
        if kind != "multipart/form-data" or not boundary:
            raise ServerError(501, f"upload 'Content-Type '{content_type}' not implemented")
        scratch = os.path.join(lab.out_dir, "tmp")
        os.makedirs(scratch, exist_ok=True)
        body = multipart.spool(self.rfile.read, length, scratch)
        self._body_read = True
        try:
            upload = multipart.parse(body, boundary, scratch)
        finally:
            os.remove(body)
        ctx.upload = upload
        self._upload = upload
        params = dict(query)
        params.update(upload.fields)
        params["filename"] = upload.filename
        return params

    def _dispatch(self, lab, ctx, template, relative, path_params, params):
        info = lab.schema.info(self.command, template) if template else None
        handler = ROUTES.get((self.command, template))
        if info is None or handler is None:
            raise ApiError(501, f"Method '{self.command} {relative}' not implemented")
        node = path_params.get("node")
        if node is not None and node != lab.node:
            raise ApiError(500, f"hostname lookup '{node}' failed - failed to get address info for: {node}: "
                                "Name or service not known")
        merged = dict(params)
        merged.update(path_params)  # path parameters win, as in the real handler
        typed = lab.schema.validate(info, merged)
        result = handler(ctx, typed)
        if isinstance(result, Reply):
            return {"data": result.data, **result.extra}
        return {"data": result}

    # -- answers -----------------------------------------------------------------------------

    def _drain(self, limit=8 * 1024 * 1024):
        """Reads an unread request body before an early error answer. pveproxy answers and
        closes at once, which can reset the connection before the client reads the answer;
        the double makes the answer reliably visible (bodies up to 8 MiB)."""
        if self._body_read or self.headers.get("Transfer-Encoding"):
            return
        self._body_read = True
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < length <= limit:
            try:
                while length > 0:
                    chunk = self.rfile.read(min(length, 1 << 16))
                    if not chunk:
                        break
                    length -= len(chunk)
            except OSError:
                pass

    def _json(self, status, reason, payload):
        body = json.dumps(payload).encode()
        self._send(status, reason, "application/json;charset=UTF-8", body)

    def _error(self, error):
        payload = {"data": None, "message": error.message}
        if error.errors:
            payload["errors"] = error.errors
        self._json(error.status, error.reason, payload)

    def _plain(self, status, message):
        self._send(status, message.split("\n", 1)[0], "text/plain;charset=UTF-8", (message + "\n").encode())

    def _send(self, status, reason, content_type, body):
        reason = reason.encode("latin-1", "replace").decode("latin-1")
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=0")
        self.send_header("Pragma", "no-cache")
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _drop(self):
        """Closes the TCP connection without an answer (no TLS close_notify either)."""
        self.close_connection = True
        try:
            self.request.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raise _Dropped()


def _without_secrets(params):
    return {k: ("<hidden>" if SECRET_NAMES.search(k) else (v if isinstance(v, (str, int, float, list)) else str(v)))
            for k, v in params.items()}


class ProxmoxServer(ThreadingHTTPServer):
    """TLS per connection with the identity's current context, so a rotated certificate is
    served to new connections while old ones finish."""
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, lab):
        self.lab = lab
        super().__init__(address, ProxmoxHandler)

    def get_request(self):
        raw, address = self.socket.accept()
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as pveproxy; avoids 40 ms Nagle stalls
        context = self.lab.identity.current_context()
        return context.wrap_socket(raw, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address):
        pass  # handshake failures (a client refusing our certificate) are normal here
