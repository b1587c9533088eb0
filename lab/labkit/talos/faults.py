"""Faults of the Talos nodes, injected through the control interface (POST /talos/faults):
match a node (name or address; absent = any) and a method (`Bootstrap` or the full path
`/machine.MachineService/Bootstrap`; absent = any), then

- `unavailable`: answer UNAVAILABLE, as a restarting apid does;
- `slow`: wait `seconds`, then serve normally;
- `reset`: send `after` messages (server streams; default 1, unary 0), then reset the HTTP/2
  stream without trailers (RST_STREAM), as grpc-go does when it gives up on a stream early;
- `not-ready`: answer the method's "not ready yet" error (reference/talos-api.md §6), or
  `code`/`message` given in the rule."""
from grpclib.const import Status

KINDS = ("unavailable", "slow", "reset", "not-ready")

NOT_READY = {
    "Bootstrap": (Status.FAILED_PRECONDITION, "bootstrap is not available yet"),
    "EtcdRecover": (Status.FAILED_PRECONDITION, "etcd service is not ready for recovery yet"),
    "ApplyConfiguration": (Status.FAILED_PRECONDITION, "another apply configuration is already in progress"),
    "EtcdMemberList": (Status.UNKNOWN, "failed to create etcd client: context deadline exceeded"),
    "EtcdStatus": (Status.UNKNOWN, "failed to create etcd client: context deadline exceeded"),
    "EtcdSnapshot": (Status.UNKNOWN, "failed to create etcd client: context deadline exceeded"),
}
UNAVAILABLE_TEXT = 'connection error: desc = "transport: Error while dialing: connect: connection refused"'


def validate(rule):
    """Normalises a POST /talos/faults body; ValueError says what is wrong."""
    if not isinstance(rule, dict):
        raise ValueError("a Talos fault is a JSON object")
    kind = rule.get("kind")
    if kind not in KINDS:
        raise ValueError(f"Talos fault needs \"kind\": one of {', '.join(KINDS)}")
    method = rule.get("method")
    if method is not None and not isinstance(method, str):
        raise ValueError("\"method\" is a method name such as Bootstrap or a path /machine.MachineService/Bootstrap")
    result = {"kind": kind, "node": rule.get("node"), "method": method.rsplit("/", 1)[-1] if method else None,
              "count": int(rule.get("count", 1))}
    if result["count"] < 1:
        raise ValueError("\"count\" must be at least 1")
    if kind == "slow":
        result["seconds"] = float(rule.get("seconds", 1.0))
    if kind == "reset" and rule.get("after") is not None:
        result["after"] = int(rule["after"])
    if kind == "not-ready" and rule.get("code") is not None:
        code = rule["code"]
        try:
            result["code"] = (Status[code] if isinstance(code, str) else Status(int(code))).value
        except (KeyError, ValueError):
            raise ValueError(f"unknown gRPC status code {code!r}") from None
    if rule.get("message") is not None:
        result["message"] = str(rule["message"])
    return result


def take(faults, node, method):
    """The first rule matching this node and method, its count used up (call with the lab lock)."""
    for rule in faults:
        if rule["node"] not in (None, "*", node.name, node.ip):
            continue
        if rule["method"] not in (None, "*", method):
            continue
        rule["count"] -= 1
        if rule["count"] <= 0:
            faults.remove(rule)
        return dict(rule)
    return None


def not_ready(rule, method):
    code, text = NOT_READY.get(method, (Status.FAILED_PRECONDITION, "the node is not ready yet"))
    if "code" in rule:
        code = Status(rule["code"])
    return code, rule.get("message", text)
