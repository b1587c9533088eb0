"""ClusterService.HealthCheck on a control-plane node: a stream of progress lines while the
checks talosctl's health runs are evaluated one after the other, until all pass (the stream
ends OK) or `wait_timeout` runs out (DeadlineExceeded). Modelled checks: etcd healthy, etcd
members consistent and equal to the control planes, apid ready, every node booted, kubelet
healthy. The Kubernetes checks (nodes ready, static pods, kube-proxy, coredns) are not."""
import asyncio
import time

from grpclib.const import Status
from grpclib.exceptions import GRPCError

from lab.talos_proto import cluster_pb2

POLL = 0.1


def _nodes(cluster, node, request):
    info = request.cluster_info
    if list(info.control_plane_nodes) or list(info.worker_nodes):
        return list(info.control_plane_nodes), list(info.worker_nodes), False
    # No lists: the discovery service's members, i.e. the lab's nodes of the same cluster.
    members = [n for n in cluster.nodes if n.config and n.config.cluster_id == node.config.cluster_id]
    return ([n.ip for n in members if n.is_control_plane], [n.ip for n in members if not n.is_control_plane], True)


def _check_etcd_healthy(cluster, node, control_planes):
    for address in control_planes:
        target = cluster.node_at(address)
        if target is None or not target.etcd_ready():
            return f"etcd on {address} is not healthy"
    return None


def _check_members(cluster, node, control_planes):
    ready = [cluster.node_at(a) for a in control_planes]
    if any(n is None or not n.etcd_ready() for n in ready):
        return "etcd is not running on every control plane node"
    members = sum(1 for n in ready if n.member is not None)
    if members != len(control_planes):
        return f"expected {len(control_planes)} etcd members, found {members}"
    return None


def _check_apid(cluster, node, addresses):
    for address in addresses:
        target = cluster.node_at(address)
        if target is None or target.mode != "mutual":
            return f"{address}: apid is not ready (connection refused)"
    return None


def _check_booted(cluster, node, addresses):
    for address in addresses:
        target = cluster.node_at(address)
        if target is None or target.stage != "running" or target.rebooting:
            return f"node {address} has not finished its boot sequence"
    return None


def _check_kubelet(cluster, node, addresses):
    for address in addresses:
        target = cluster.node_at(address)
        service = target.services.get("kubelet") if target else None
        if service is None or not service.ready:
            return f"{address}: service \"kubelet\" not in expected state \"Running\""
    return None


async def progress(cluster, node, request):
    timeout = request.wait_timeout.ToTimedelta().total_seconds()
    control_planes, workers, discovered = _nodes(cluster, node, request)
    everyone = control_planes + workers
    checks = [
        ("etcd to be healthy", lambda: _check_etcd_healthy(cluster, node, control_planes)),
        ("etcd members to be consistent across nodes", lambda: _check_members(cluster, node, control_planes)),
        ("etcd members to be control plane nodes", lambda: _check_members(cluster, node, control_planes)),
        ("apid to be ready", lambda: _check_apid(cluster, node, everyone)),
        ("all nodes to finish boot sequence", lambda: _check_booted(cluster, node, everyone)),
        ("kubelet to be healthy", lambda: _check_kubelet(cluster, node, everyone)),
    ]
    deadline = time.monotonic() + timeout

    async def stream():
        if discovered:
            yield cluster_pb2.HealthCheckProgress(message=f"discovered nodes: {everyone}")
        for name, check in checks:
            yield cluster_pb2.HealthCheckProgress(message=f"waiting for {name}: ...")
            last = "..."
            while True:
                problem = check()
                if problem is None:
                    yield cluster_pb2.HealthCheckProgress(message=f"waiting for {name}: OK")
                    break
                if problem != last:
                    last = problem
                    yield cluster_pb2.HealthCheckProgress(message=f"waiting for {name}: {problem}")
                if time.monotonic() >= deadline:
                    raise GRPCError(Status.DEADLINE_EXCEEDED, f"{name}: {problem}: context deadline exceeded")
                await asyncio.sleep(POLL)
    return stream()
