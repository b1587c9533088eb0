"""A node's apid: one grpclib server on the node's address, in maintenance mode (TLS with an
ephemeral certificate, no client certificate, every caller `os:reader`) or in mutual TLS
(client certificates from the OS CA, ExtKeyUsage exactly clientAuth, roles from O=).

Between listeners the address stays bound without listening, so the port is kept for this lab
and a client gets "connection refused", as from a rebooting node. The method table comes from
the generated stubs (talos_proto), so paths, cardinalities and message types are the generated
ones; routing (`node`/`nodes` metadata), the per-node envelope and faults are applied here."""
import asyncio
import functools
import logging
import os
import socket
import ssl

from grpclib.const import Handler as MethodHandler
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from grpclib.protocol import H2Protocol
from grpclib.server import Handler, Server

from lab.talos_proto import cluster_grpc, machine_grpc

from . import authz, faults, pki, rpc

log = logging.getLogger("lab.talos")
FANOUT_PREFIXES = ("/machine.MachineService/", "/cluster.ClusterService/")
GO_CODE_NAMES = {
    Status.CANCELLED: "Canceled", Status.UNKNOWN: "Unknown", Status.INVALID_ARGUMENT: "InvalidArgument",
    Status.DEADLINE_EXCEEDED: "DeadlineExceeded", Status.NOT_FOUND: "NotFound", Status.ALREADY_EXISTS: "AlreadyExists",
    Status.PERMISSION_DENIED: "PermissionDenied", Status.RESOURCE_EXHAUSTED: "ResourceExhausted",
    Status.FAILED_PRECONDITION: "FailedPrecondition", Status.ABORTED: "Aborted", Status.OUT_OF_RANGE: "OutOfRange",
    Status.UNIMPLEMENTED: "Unimplemented", Status.INTERNAL: "Internal", Status.UNAVAILABLE: "Unavailable",
    Status.DATA_LOSS: "DataLoss", Status.UNAUTHENTICATED: "Unauthenticated",
}


class _Names:
    """Stands in for a servicer so the generated __mapping__ yields method names, not methods."""

    def __getattr__(self, name):
        return name


def generated_methods():
    """{path: grpclib Handler(name, cardinality, request type, reply type)} from the stubs."""
    table = {}
    for base in (machine_grpc.MachineServiceBase, cluster_grpc.ClusterServiceBase):
        table.update(base.__mapping__(_Names()))
    return table


class _CheckedProtocol(H2Protocol):
    """apid's verifyExtKeyUsage: a verified client certificate whose ExtKeyUsage is not exactly
    clientAuth fails the connection before any gRPC is spoken."""

    def __init__(self, listener, *args):
        super().__init__(*args)
        self.listener = listener
        self.refused = False
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.listener.transports.add(transport)
        if self.listener.mode == "mutual":
            ssl_object = transport.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
            try:
                if not der:
                    raise pki.ClientRefused("no client certificate")
                pki.client_roles(der)
            except (pki.ClientRefused, ValueError) as error:
                self.refused = True
                self.listener.refusals.append(str(error))
                del self.listener.refusals[:-10]
                log.info("%s: refused a client: %s", self.listener.node.name, error)
                transport.abort()
                return
        super().connection_made(transport)

    def data_received(self, data):
        if not self.refused:
            super().data_received(data)

    def connection_lost(self, exc):
        self.listener.transports.discard(self.transport)
        if not self.refused:
            super().connection_lost(exc)


class _Server(Server):
    def __init__(self, handlers, listener):
        super().__init__(handlers)
        self._listener = listener

    def _protocol_factory(self):
        self.__gc_step__()
        handler = Handler(self._mapping, self._codec, self._status_details_codec, self.__dispatch__)
        self._handlers.add(handler)
        return _CheckedProtocol(self._listener, handler, self._config, self._h2_config)


def _roles(stream, mode):
    if mode != "mutual":
        return list(authz.MAINTENANCE_ROLES)
    cert = stream.peer.cert() or {}
    return [value for rdn in cert.get("subject", ()) for key, value in rdn if key == "organizationName"]


def go_error(error):
    """How apid words a backend's failure in metadata.error: grpc-go's status error string."""
    return f"rpc error: code = {GO_CODE_NAMES.get(error.status, error.status.name)} desc = {error.message or ''}"


class Listener:
    def __init__(self, cluster, node):
        self.cluster = cluster
        self.node = node
        self.mode = None
        self.listening = False
        self.server = None
        self.transports = set()
        self.refusals = []  # why apid refused clients after the handshake (the control interface shows them)
        self.sock = None
        self.tls_dir = os.path.join(cluster.state_dir, f"{node.name}-tls")
        self.sock = cluster.reserved.pop(node.ip, None)  # bound when the lab chose its port
        if self.sock is None:
            self.reserve()

    # -- the socket -------------------------------------------------------------------------

    def reserve(self):
        """Binds the node's address and port without listening (connections are refused)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.node.ip, self.cluster.port))
        except OSError:
            sock.close()
            raise
        self.sock = sock

    def _context(self, mode, cert, key, ca):
        cert_path = pki.write_private(self.tls_dir, "server.pem", cert)
        key_path = pki.write_private(self.tls_dir, "server-key.pem", key)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["h2"])
        context.options |= ssl.OP_NO_TICKET
        context.load_cert_chain(cert_path, key_path)
        if mode == "mutual":
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(cadata=ca.decode())
        return context

    async def start(self, mode, cert, key, ca=None):
        await self.stop()
        context = self._context(mode, cert, key, ca)
        if self.sock is None:
            self.reserve()  # lost after the last stop; raises if another process took the port
        sock, self.sock = self.sock, None
        sock.listen(128)
        self.server = _Server([Dispatcher(self.cluster, self.node, self)], self)
        self.mode = mode
        await self.server.start(sock=sock, ssl=context)
        self.listening = True

    async def stop(self):
        """Closes the listener and drops every connection (a reboot), then keeps the port."""
        server, self.server = self.server, None
        self.listening = False
        self.mode = None
        if server is not None:
            server.close()
            for transport in list(self.transports):
                transport.abort()
            try:
                await asyncio.wait_for(server.wait_closed(), 5)
            except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - handlers cancelled anyway
                pass
        if self.sock is None:
            try:
                self.reserve()
            except OSError as error:
                log.warning("%s: could not keep %s:%s bound after closing its listener (%s); the next start binds "
                            "it again", self.node.name, self.node.ip, self.cluster.port, error.strerror)

    async def close(self):
        await self.stop()
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class Dispatcher:
    """Every method of the generated stubs, served through one entry: faults, the request,
    routing, authorization and the answer."""

    def __init__(self, cluster, node, listener):
        self.cluster = cluster
        self.node = node
        self.listener = listener

    def __mapping__(self):
        mapping = {}
        for path, method in generated_methods().items():
            entry = functools.partial(self.handle, path, method)
            mapping[path] = MethodHandler(entry, method.cardinality, method.request_type, method.reply_type)
        return mapping

    async def handle(self, path, method, stream):
        name = path.rsplit("/", 1)[1]
        streaming_reply = method.cardinality.server_streaming
        mode = self.listener.mode
        self.cluster.record_call(self.node, name, mode)
        reset_after = None
        rule = self.cluster.take_fault(self.node, name)
        if rule is not None:
            reset_after = await self._fault(rule, name, streaming_reply)
        if method.cardinality.client_streaming:
            request = [message async for message in stream]
        else:
            request = await stream.recv_message()
        roles = _roles(stream, mode)
        targets, fanout = self._targets(stream, path, mode)
        if fanout:
            result = await self._fan_out(path, method, request, roles, targets)
        else:
            result = await self._one(path, request, roles, targets[0] if targets else None)
        if not streaming_reply:
            if reset_after is not None:
                await stream.cancel()
                return
            await stream.send_message(result)
            return
        sent = 0
        async for message in result:
            if reset_after is not None and sent >= reset_after:
                await stream.cancel()
                return
            await stream.send_message(message)
            sent += 1
        if reset_after is not None:
            await stream.cancel()

    async def _fault(self, rule, name, streaming_reply):
        kind = rule["kind"]
        if kind == "slow":
            await asyncio.sleep(rule["seconds"])
            return None
        if kind == "unavailable":
            raise GRPCError(Status.UNAVAILABLE, rule.get("message", faults.UNAVAILABLE_TEXT))
        if kind == "not-ready":
            code, text = faults.not_ready(rule, name)
            raise GRPCError(code, text)
        return rule.get("after", 1 if streaming_reply else 0)

    def _targets(self, stream, path, mode):
        """([target addresses], fan-out?) from `node`/`nodes`; maintenance serves all locally."""
        metadata = stream.metadata
        if mode != "mutual" or metadata is None:
            return [], False
        nodes = [v for v in metadata.getall("nodes", [])]
        node = [v for v in metadata.getall("node", [])]
        if len(node) > 1:
            raise GRPCError(Status.INVALID_ARGUMENT, "node metadata must be single-valued")
        if nodes:
            if not path.startswith(FANOUT_PREFIXES):
                raise GRPCError(Status.INVALID_ARGUMENT, f"one-2-many proxying is not supported for method {path}")
            return nodes, True
        return node, False

    async def _one(self, path, request, roles, target):
        if target is None or target in (self.node.ip, self.node.hostname, self.node.name):
            return await rpc.call(self.cluster, self.node, path, request, roles)
        return await self._forward(path, request, roles, target)

    async def _forward(self, path, request, roles, target):
        """apid proxies one-to-one to another node with its own client certificate; only
        control planes hold one."""
        if not self.node.is_control_plane:
            raise GRPCError(Status.PERMISSION_DENIED, "no request forwarding")
        if ":" in target:
            raise GRPCError(Status.INVALID_ARGUMENT, f"node {target!r} must be an address without a port")
        other = self.cluster.node_at(target)
        dial = f"dial tcp {target}:{self.cluster.port}"
        if other is None or other.mode is None:
            raise GRPCError(Status.UNAVAILABLE, f'connection error: desc = "transport: Error while dialing: {dial}: '
                                                f'connect: connection refused"')
        if other.mode != "mutual" or other.config.ca_pem != self.node.config.ca_pem:
            raise GRPCError(Status.UNAVAILABLE, 'connection error: desc = "transport: authentication handshake failed: '
                                                'tls: failed to verify certificate: x509: certificate signed by unknown '
                                                'authority"')
        rule = self.cluster.take_fault(other, path.rsplit("/", 1)[1])
        if rule is not None:
            if await self._fault(rule, path.rsplit("/", 1)[1], False) is not None:
                raise GRPCError(Status.UNAVAILABLE, "stream reset by the backend")
        return await rpc.call(self.cluster, other, path, request, roles)

    async def _fan_out(self, path, method, request, roles, targets):
        """One-to-many as apid does it: each backend's messages get metadata.hostname; a failed
        backend becomes an entry with metadata.error and status, and the call itself is OK."""
        if method.cardinality.server_streaming:
            return self._fan_out_stream(path, method, request, roles, targets)
        reply = method.reply_type()
        for target in targets:
            try:
                answer = await self._one(path, request, roles, target)
                for entry in answer.messages:
                    entry.metadata.hostname = target
                    reply.messages.append(entry)
            except GRPCError as error:
                entry = reply.messages.add()
                _error_metadata(entry.metadata, target, error)
        return reply

    async def _fan_out_stream(self, path, method, request, roles, targets):
        for target in targets:
            try:
                answer = await self._one(path, request, roles, target)
                async for message in answer:
                    message.metadata.hostname = target
                    yield message
            except GRPCError as error:
                message = method.reply_type()
                _error_metadata(message.metadata, target, error)
                yield message


def _error_metadata(metadata, target, error):
    metadata.hostname = target
    metadata.error = go_error(error)
    metadata.status.code = error.status.value
    metadata.status.message = error.message or ""
