"""What each RPC does on one node (the local machined's part; routing, envelopes, faults and TLS
are listener.py's). Unary methods return their response message, server-streaming ones an async
iterator of messages; client-streaming ones get the list of received messages.

Errors are grpclib GRPCErrors with the codes and texts of reference/talos-api.md §4 and §6."""
import os
import tempfile
import uuid

from grpclib.const import Status
from grpclib.exceptions import GRPCError

from lab.talos_proto import common_pb2, machine_pb2

from . import authz, etcd, health, kubeconfig
from .machineconfig import ConfigError, MachineConfig

CHUNK = 1024  # EtcdSnapshot's chunks (the chunker machined uses)
APPLY = "/machine.MachineService/ApplyConfiguration"
Mode = machine_pb2.ApplyConfigurationRequest.Mode


def _control_plane(node, api):
    if node.config is None:
        raise GRPCError(Status.UNIMPLEMENTED, f"machine type is not set, cannot use {api} API")
    if not node.is_control_plane:
        raise GRPCError(Status.UNIMPLEMENTED, f"{api} is only available on control plane nodes")


def _etcd_client(node):
    """machined's etcd client fails when the local member does not answer (an untyped error)."""
    if node.member is None or not node.member.running():
        raise GRPCError(Status.UNKNOWN, "failed to create etcd client: error building etcd client: "
                                        "context deadline exceeded (etcd is not running on this node)")
    return node.member


async def call(cluster, node, path, request, roles):
    """Authorization as machined does it, then the method."""
    authz.check(path, roles)
    method = METHODS.get(path)
    if method is None:
        raise GRPCError(Status.UNIMPLEMENTED, f"unknown method {path}")
    return await method(cluster, node, request, roles)


async def apply_configuration(cluster, node, request, roles):
    maintenance = node.mode == "maintenance"
    if not maintenance:
        authz.require_admin(roles)
    if node.rebooting:
        raise GRPCError(Status.FAILED_PRECONDITION,
                        "configuration was already applied and node is rebooting, please wait for the reboot to finish")
    try:
        config = MachineConfig(request.data)
    except ConfigError as error:
        raise GRPCError(Status.INVALID_ARGUMENT, f"configuration validation failed: {error}") from None
    reply = machine_pb2.ApplyConfigurationResponse()
    entry = reply.messages.add()
    if request.dry_run:
        entry.mode = request.mode
        entry.mode_details = "Dry run: the configuration is valid; nothing was applied"
        return reply
    if maintenance:
        # Maintenance applies without a reboot of its own; the node then installs and reboots.
        node.disk.config = config
        entry.mode = Mode.NO_REBOOT
        entry.mode_details = "Applied configuration without a reboot"
        node.reboot_later()
        return reply
    old = node.config
    node.disk.config = config
    needs_reboot = request.mode == Mode.REBOOT or old.type != config.type or old.ca_pem != config.ca_pem
    if request.mode == Mode.STAGED:
        entry.mode, entry.mode_details = Mode.STAGED, "Staged configuration to be applied after the next reboot"
    elif needs_reboot and request.mode in (Mode.REBOOT, Mode.AUTO):
        entry.mode, entry.mode_details = Mode.REBOOT, "Applied configuration with a reboot"
        node.reboot_later()
    elif needs_reboot:
        node.disk.config = old
        raise GRPCError(Status.INVALID_ARGUMENT, "this config change can't be applied in immediate mode: "
                                                 "the machine type or the OS CA changed (a reboot is needed)")
    else:
        entry.mode, entry.mode_details = Mode.NO_REBOOT, "Applied configuration without a reboot"
    return reply


async def bootstrap(cluster, node, request, roles):
    cri = node.services.get("cri")
    if node.config is not None and (cri is None or not cri.ready):
        raise GRPCError(Status.FAILED_PRECONDITION, "bootstrap is not available yet")
    _control_plane(node, "bootstrap")
    if node.etcd_busy():
        raise GRPCError(Status.ALREADY_EXISTS, "etcd data directory is not empty")
    node.bootstrapping = True  # before the answer: a second Bootstrap right after must see it
    node.spawn(node.bootstrap(request.recover_etcd, request.recover_skip_hash_check))
    reply = machine_pb2.BootstrapResponse()
    reply.messages.add()
    return reply


async def etcd_recover(cluster, node, chunks, roles):
    if not node.ephemeral_ready:
        raise GRPCError(Status.FAILED_PRECONDITION, "etcd service is not ready for recovery yet")
    _control_plane(node, "etcd recover")
    path = node.disk.snapshot_path
    try:
        with open(path, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.bytes)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        _remove(path)
        raise GRPCError(Status.UNKNOWN, f"error writing snapshot: {error.strerror}") from None
    reply = machine_pb2.EtcdRecoverResponse()
    reply.messages.add()
    return reply


async def etcd_snapshot(cluster, node, request, roles):
    _control_plane(node, "etcd snapshot")
    member = _etcd_client(node)
    handle, path = tempfile.mkstemp(prefix="etcd-snapshot-", dir=node.disk.root)
    os.close(handle)
    os.remove(path)  # etcdctl writes PATH.part and renames it
    try:
        await member.snapshot_to(path)
        with open(path, "rb") as source:
            data = source.read()
    except etcd.EtcdError as error:
        raise GRPCError(Status.UNKNOWN, f"failed reading etcd snapshot: {error}") from None
    finally:
        _remove(path)
        _remove(path + ".part")

    async def chunks():
        for offset in range(0, len(data), CHUNK):
            yield common_pb2.Data(bytes=data[offset:offset + CHUNK])
    return chunks()


async def etcd_member_list(cluster, node, request, roles):
    _control_plane(node, "member list")
    member = _etcd_client(node)
    try:
        members = await member.member_list()
    except etcd.EtcdError as error:
        raise GRPCError(Status.UNKNOWN, f"failed to list etcd members: {error}") from None
    reply = machine_pb2.EtcdMemberListResponse()
    entry = reply.messages.add()
    for item in members:
        entry.legacy_members.append(item.get("name", ""))
        entry.members.add(id=int(item["ID"]), hostname=item.get("name", ""), peer_urls=item.get("peerURLs", []),
                          client_urls=item.get("clientURLs", []), is_learner=bool(item.get("isLearner")))
    return reply


async def etcd_status(cluster, node, request, roles):
    _control_plane(node, "etcd status")
    member = _etcd_client(node)
    try:
        status = await member.status()
    except etcd.EtcdError as error:
        raise GRPCError(Status.UNKNOWN, f"failed to query etcd status: {error}") from None
    reply = machine_pb2.EtcdStatusResponse()
    entry = reply.messages.add()
    out = entry.member_status
    out.member_id = int(status["header"]["member_id"])
    out.protocol_version = status.get("version", "")
    out.db_size = int(status.get("dbSize", 0))
    out.db_size_in_use = int(status.get("dbSizeInUse", 0))
    out.leader = int(status.get("leader", 0))
    out.raft_index = int(status.get("raftIndex", 0))
    out.raft_term = int(status.get("raftTerm", 0))
    out.raft_applied_index = int(status.get("raftAppliedIndex", 0))
    out.errors.extend(status.get("errors") or [])
    out.is_learner = bool(status.get("isLearner"))
    return reply


async def kubeconfig_stream(cluster, node, request, roles):
    _control_plane(node, "kubeconfig")
    try:
        data = kubeconfig.archive(kubeconfig.render(node.config, cluster.kubernetes_endpoint()))
    except ConfigError as error:
        raise GRPCError(Status.UNKNOWN, f"failed to generate kubeconfig: {error}") from None

    async def one():
        yield common_pb2.Data(bytes=data)
    return one()


async def service_list(cluster, node, request, roles):
    reply = machine_pb2.ServiceListResponse()
    entry = reply.messages.add()
    for service in node.services.ordered():
        info = entry.services.add(id=service.id, state=service.state)
        for message, state, ts in service.events:
            event = info.events.events.add(msg=message, state=state)
            event.ts.FromNanoseconds(int(ts * 1e9))
        info.health.unknown = service.unknown
        info.health.healthy = service.healthy
        info.health.last_message = service.message
        info.health.last_change.FromNanoseconds(int(service.last_change * 1e9))
    return reply


async def version(cluster, node, request, roles):
    reply = machine_pb2.VersionResponse()
    entry = reply.messages.add()
    entry.version.tag = cluster.talos_version()
    entry.version.sha = "lab-double"
    entry.version.os = "linux"
    entry.version.arch = "amd64"
    entry.platform.name = "metal"
    entry.platform.mode = "metal"
    if node.config is not None:
        features = node.config.machine.get("features") or {}
        entry.features.rbac = bool(features.get("rbac", True)) if isinstance(features, dict) else True
    return reply


async def reset(cluster, node, request, roles):
    wipe_mode = machine_pb2.ResetRequest.WipeMode
    if request.mode == wipe_mode.SYSTEM_DISK and request.user_disks_to_wipe:
        raise GRPCError(Status.UNKNOWN, "cannot wipe user disks in SYSTEM_DISK mode")
    if request.mode == wipe_mode.USER_DISKS and request.system_partitions_to_wipe:
        raise GRPCError(Status.UNKNOWN, "cannot wipe system partitions in USER_DISKS mode")
    if request.user_disks_to_wipe:
        raise GRPCError(Status.UNKNOWN, f"disk {request.user_disks_to_wipe[0]!r} is not a user disk of this node")
    labels = {p.label for p in request.system_partitions_to_wipe if p.wipe}
    unknown = labels - {"STATE", "EPHEMERAL", "META"}
    if unknown:
        raise GRPCError(Status.UNKNOWN, f"failed to find partition with label {sorted(unknown)[0]}")
    whole = request.mode != wipe_mode.USER_DISKS and not request.system_partitions_to_wipe
    node.reboot_later(wipe_state=whole or "STATE" in labels, wipe_ephemeral=whole or "EPHEMERAL" in labels,
                      power_off=not request.reboot)
    reply = machine_pb2.ResetResponse()
    reply.messages.add(actor_id=str(uuid.uuid4()))
    return reply


async def reboot(cluster, node, request, roles):
    node.reboot_later()
    reply = machine_pb2.RebootResponse()
    reply.messages.add(actor_id=str(uuid.uuid4()))
    return reply


async def health_check(cluster, node, request, roles):
    _control_plane(node, "health check")
    return await health.progress(cluster, node, request)


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


METHODS = {
    APPLY: apply_configuration,
    "/machine.MachineService/Bootstrap": bootstrap,
    "/machine.MachineService/EtcdRecover": etcd_recover,
    "/machine.MachineService/EtcdSnapshot": etcd_snapshot,
    "/machine.MachineService/EtcdMemberList": etcd_member_list,
    "/machine.MachineService/EtcdStatus": etcd_status,
    "/machine.MachineService/Kubeconfig": kubeconfig_stream,
    "/machine.MachineService/ServiceList": service_list,
    "/machine.MachineService/Version": version,
    "/machine.MachineService/Reset": reset,
    "/machine.MachineService/Reboot": reboot,
    "/cluster.ClusterService/HealthCheck": health_check,
}
