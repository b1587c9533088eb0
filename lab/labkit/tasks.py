"""Worker tasks with real-format UPIDs: each mutating call starts one, it runs in
a thread for a configurable time, then does its work and ends with `TASK OK` or `TASK ERROR: ...`.

The control interface can hold tasks (they stay `running` until released), make the next
matching task fail with a given exitstatus, and stop tasks (DELETE /nodes/{node}/tasks/{upid}).
"""
import itertools
import random
import threading
import time

from .errors import TaskError

DEFAULT_DURATIONS = {
    "qmcreate": 1.0, "qmrestore": 3.0, "qmclone": 2.0, "qmstart": 1.0, "qmstop": 0.5,
    "qmshutdown": 1.0, "qmreboot": 1.5, "qmdestroy": 0.5, "qmconfig": 0.3, "download": 1.0,
    "imgcopy": 0.5,
}


class Task:
    def __init__(self, upid, node, pid, pstart, starttime, kind, ident, user):
        self.upid, self.node, self.pid, self.pstart = upid, node, pid, pstart
        self.starttime, self.type, self.id, self.user = starttime, kind, ident, user
        self.status, self.exitstatus, self.endtime = "running", None, None
        self.log = []
        self.stop_requested = threading.Event()
        self.abandoned = False

    def vmid(self):
        return int(self.id) if str(self.id).isdigit() else None

    def summary(self):
        """The shape of GET /nodes/{node}/tasks/{upid}/status (exitstatus only when stopped)."""
        result = {"upid": self.upid, "node": self.node, "pid": self.pid, "pstart": self.pstart,
                  "starttime": self.starttime, "type": self.type, "id": self.id, "user": self.user,
                  "status": self.status}
        if self.status == "stopped":
            result["exitstatus"] = self.exitstatus
        return result

    def list_entry(self):
        """The shape of one GET /nodes/{node}/tasks item: `status` is the exit status once done."""
        result = {"upid": self.upid, "node": self.node, "pid": self.pid, "pstart": self.pstart,
                  "starttime": self.starttime, "type": self.type, "id": self.id, "user": self.user}
        if self.status == "stopped":
            result["status"] = self.exitstatus
            result["endtime"] = self.endtime
        return result


class Tasks:
    """All tasks of the node; `lock` is the lab's state lock (tasks change VMs when they end)."""

    def __init__(self, lock, node="pve"):
        self.lock = lock
        self.node = node
        self.tasks = {}
        self.order = []
        self.durations = dict(DEFAULT_DURATIONS)
        self.holds = []      # [{"type", "vmid"?}]
        self.failures = []   # [{"type", "vmid"?, "exitstatus", "count"}]
        self.released = threading.Condition(lock)
        self._pids = itertools.count(random.randint(0x10000, 0x20000))
        self._pstart = random.randint(10_000_000, 20_000_000)

    def reset(self):
        for task in list(self.tasks.values()):
            task.abandoned = True  # its thread must not touch the fresh state
            task.stop_requested.set()
        self.tasks.clear()
        self.order.clear()
        self.durations = dict(DEFAULT_DURATIONS)
        self.holds.clear()
        self.failures.clear()
        self.released.notify_all()

    def start(self, kind, ident, user, work, on_error=None, first_lines=()):
        """Creates the task and its thread; returns the UPID. Call with the lab lock held.
        work() runs without the lock after the task's duration; it may raise TaskError and may
        return extra log lines. on_error(message) undoes what a failed worker leaves behind."""
        pid = next(self._pids)
        self._pstart += 1
        starttime = int(time.time())
        upid = f"UPID:{self.node}:{pid:08X}:{self._pstart:08X}:{starttime:08X}:{kind}:{ident}:{user}:"
        task = Task(upid, self.node, pid, self._pstart, starttime, kind, str(ident), user)
        task.log.extend(first_lines)
        self.tasks[upid] = task
        self.order.append(upid)
        duration = self.durations.get(kind, 0.5)
        thread = threading.Thread(target=self._run, args=(task, duration, work, on_error),
                                  name=f"task-{kind}-{ident}", daemon=True)
        thread.start()
        return upid

    def _matches(self, rule, task):
        return rule.get("type") in (None, task.type) and rule.get("vmid") in (None, task.vmid())

    def _run(self, task, duration, work, on_error):
        task.stop_requested.wait(duration)
        with self.lock:
            while not task.stop_requested.is_set() and any(self._matches(r, task) for r in self.holds):
                self.released.wait(0.5)
            injected = None
            for rule in self.failures:
                if self._matches(rule, task) and rule.get("count", 1) > 0:
                    rule["count"] = rule.get("count", 1) - 1
                    injected = rule.get("exitstatus") or "injected failure"
                    break
            self.failures = [r for r in self.failures if r.get("count", 1) > 0]
        if task.abandoned:
            return
        error = None
        if task.stop_requested.is_set():
            error = "interrupted by signal"
        elif injected:
            error = injected
        else:
            try:
                lines = work() or []
                task.log.extend(lines)
            except TaskError as failure:
                error = str(failure)
            except Exception as failure:  # a bug in the double must still end the task visibly
                error = f"internal error in lab double: {failure!r}"
        if error is not None and on_error is not None:
            try:
                on_error(error)
            except Exception as failure:
                task.log.append(f"cleanup failed: {failure!r}")
        with self.lock:
            if error is None:
                task.log.append("TASK OK")
                task.exitstatus = "OK"
            else:
                flat = error.strip().replace("\n", " ")
                task.log.append(f"TASK ERROR: {flat}")
                task.exitstatus = flat
            task.endtime = int(time.time())
            task.status = "stopped"

    def hold(self, rule):
        self.holds.append(rule)

    def release(self):
        self.holds.clear()
        self.released.notify_all()
