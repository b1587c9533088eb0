"""Faults injected through the control interface: match a request by "METHOD template" or
"METHOD /concrete/path", then answer with a status, answer after doing the work (the answer is
lost), drop the connection (before or after the work), delay, or fail the worker fork."""

KINDS = ("status", "after", "drop", "drop-after", "delay", "no-worker-upid")


def validate(rule):
    """Normalises a POST /faults body; raises ValueError with a readable reason."""
    if not isinstance(rule, dict) or not isinstance(rule.get("match"), str) or " " not in rule["match"]:
        raise ValueError("fault needs \"match\": \"METHOD /path\" (template like /nodes/{node}/qemu or concrete)")
    kind = rule.get("kind", "status")
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
    method, path = rule["match"].split(" ", 1)
    path = path.strip()
    if path.startswith("/api2/json"):
        path = path[len("/api2/json"):]
    result = {"match": f"{method.upper()} {path}", "kind": kind, "count": int(rule.get("count", 1))}
    if kind in ("status", "after"):
        status = int(rule.get("status", 500))
        result["status"] = status
        result["reason"] = str(rule.get("reason") or _default_reason(status)).split("\n", 1)[0]
    if kind == "delay":
        result["seconds"] = float(rule.get("seconds", 1.0))
    return result


def _default_reason(status):
    return {500: "Internal Server Error", 503: "Service Unavailable", 596: "Connection timed out",
            599: "Too many redirections"}.get(status, "Injected fault")


def take(faults, method, template, path):
    """The first fault matching this request, its count used up; None when nothing matches."""
    for rule in faults:
        want_method, want_path = rule["match"].split(" ", 1)
        if want_method != method or want_path not in (template, path):
            continue
        rule["count"] -= 1
        if rule["count"] <= 0:
            faults.remove(rule)
        return dict(rule)
    return None
