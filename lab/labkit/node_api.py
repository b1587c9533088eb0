"""Node-level calls: version, nodes, nextid, and the task API."""
import re

from .context import Reply
from .errors import param_error

UPID = re.compile(r"^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):"
                  r"([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$")


def version(ctx, params):
    return {"version": "9.1.1", "release": "9.1", "repoid": "42aa3d3e0a67d8fe"}


def nodes(ctx, params):
    lab = ctx.lab
    import time
    return [{"node": lab.node, "status": "online", "type": "node", "id": f"node/{lab.node}",
             "cpu": 0.03, "maxcpu": 16, "mem": 8 * 1024 ** 3, "maxmem": 64 * 1024 ** 3,
             "uptime": int(time.time() - lab.started), "level": "",
             "ssl_fingerprint": lab.identity.fingerprint}]


def nextid(ctx, params):
    lab = ctx.lab
    with lab.lock:
        if "vmid" in params:
            if params["vmid"] in lab.vms:
                raise param_error({"vmid": f"VM {params['vmid']} already exists"})
            return params["vmid"]
        vmid = 100
        while vmid in lab.vms:
            vmid += 1
        return vmid


def _task(lab, upid):
    if not UPID.match(upid):
        raise param_error({"upid": f"unable to parse worker upid '{upid}'"})
    task = lab.tasks.tasks.get(upid)
    if task is None:
        raise param_error({"upid": "no such task"})
    return task


def task_status(ctx, params):
    with ctx.lab.lock:
        return _task(ctx.lab, params["upid"]).summary()


def task_log(ctx, params):
    with ctx.lab.lock:
        task = _task(ctx.lab, params["upid"])
        start, limit = params.get("start", 0), params.get("limit", 50)
        lines = [{"n": i + 1, "t": text} for i, text in enumerate(task.log)]
        return Reply(lines[start:start + limit] if limit else lines[start:], total=len(lines))


def task_stop(ctx, params):
    with ctx.lab.lock:
        _task(ctx.lab, params["upid"]).stop_requested.set()
    return None


def task_list(ctx, params):
    lab = ctx.lab
    source = params.get("source", "archive")
    with lab.lock:
        tasks = [lab.tasks.tasks[u] for u in reversed(lab.tasks.order)]
        selected = []
        for task in tasks:
            if source == "archive" and task.status != "stopped":
                continue
            if source == "active" and task.status != "running":
                continue
            if "vmid" in params and task.vmid() != params["vmid"]:
                continue
            if params.get("typefilter") and task.type != params["typefilter"]:
                continue
            if params.get("userfilter") and params["userfilter"] not in task.user:
                continue
            if params.get("errors") and (task.status != "stopped" or task.exitstatus == "OK"):
                continue
            if params.get("since") and task.starttime < params["since"]:
                continue
            if params.get("until") and task.starttime > params["until"]:
                continue
            selected.append(task.list_entry())
        start, limit = params.get("start", 0), params.get("limit", 50)
        return Reply(selected[start:start + limit], total=len(selected))
