"""The real Proxmox VE API schema (lab/proxmox/apidata.json) as the double's gatekeeper.

Every request is matched to a (method, path template) of the schema and its parameters are
checked the way pve-common's JSONSchema does it, so the double cannot accept a path or a
parameter the real server would refuse: unknown names, missing required ones, bad types, enums,
ranges, patterns and `requires`, with the real error texts.
"""
import json
import os
import re

from .errors import param_error

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proxmox", "apidata.json")
_NUMBERED = re.compile(r"^([a-z][a-z_-]*?)(\d+)$")
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class Schema:
    def __init__(self, path=SCHEMA_FILE):
        with open(path) as handle:
            tree = json.load(handle)
        self.methods = {}  # (METHOD, template) -> info
        self._templates = []  # (segments, template)
        self._walk(tree)
        # Literal segments win over {placeholders}: /nodes/{node}/qemu before /nodes/{node}/{x}.
        self._templates.sort(key=lambda item: -sum(1 for s in item[0] if not s.startswith("{")))

    def _walk(self, nodes):
        for node in nodes:
            path = node["path"]
            info = node.get("info") or {}
            if info:
                self._templates.append((path.strip("/").split("/") if path != "/" else [], path))
            for method, description in info.items():
                self.methods[(method, path)] = description
            self._walk(node.get("children") or [])

    def match(self, path):
        """(template, {placeholder: value}) for a concrete path, or (None, {})."""
        segments = [s for s in path.strip("/").split("/")] if path.strip("/") else []
        for template_segments, template in self._templates:
            if len(template_segments) != len(segments):
                continue
            values = {}
            for want, have in zip(template_segments, segments):
                if want.startswith("{"):
                    if not have:
                        break
                    values[want[1:-1]] = have
                elif want != have:
                    break
            else:
                return template, values
        return None, {}

    def info(self, method, template):
        return self.methods.get((method, template))

    def validate(self, info, params):
        """Checks params against the method's parameter schema; returns them typed (int, 1/0, str)
        or raises 400 with an `errors` map, as the real server does."""
        parameters = info.get("parameters") or {}
        properties = parameters.get("properties") or {}
        additional = parameters.get("additionalProperties")
        errors, typed = {}, {}
        for name, value in params.items():
            spec = property_spec(properties, name)
            if spec is None:
                if additional is not None and not additional:
                    errors[name] = "property is not defined in schema and the schema does not allow additional properties"
                else:
                    typed[name] = value
                continue
            ok, result = check_value(spec, value)
            if ok:
                typed[name] = result
            else:
                errors[name] = result
        for name, spec in properties.items():
            if "[n]" in name:
                continue
            if name not in params and not spec.get("optional"):
                errors.setdefault(name, "property is missing and it is not optional")
        for name in params:
            spec = property_spec(properties, name)
            requires = spec and spec.get("requires")
            if requires and requires not in params:
                errors.setdefault(requires, f"missing property - '{name}' requires this property")
        if errors:
            raise param_error(errors)
        return typed


def property_spec(properties, name):
    """The schema entry for a parameter name; `net[n]` stands for net0, net1, ..."""
    if name in properties:
        return properties[name]
    numbered = _NUMBERED.match(name)
    if numbered:
        return properties.get(numbered.group(1) + "[n]")
    return None


def check_value(spec, value):
    """(True, typed value) or (False, error text), following pve-common's check_type rules."""
    kind = spec.get("type", "string")
    if isinstance(value, list) and kind != "array":
        return False, f"type check ('{kind}') failed - got ARRAY"
    if kind == "boolean":
        if value is True or value is False:  # JSON bodies may send real booleans
            return True, int(value)
        if isinstance(value, int) and value in (0, 1):
            return True, value
        if value in ("1", "0"):
            return True, int(value)
        return False, f"type check ('boolean') failed - got '{value}'"
    if kind == "integer":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and _INTEGER.match(value))):
            return False, f"type check ('integer') failed - got '{value}'"
        value = int(value)
        return _range(spec, value)
    if kind == "number":
        if isinstance(value, bool) or not (isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER.match(value))):
            return False, f"type check ('number') failed - got '{value}'"
        value = float(value)
        return _range(spec, value)
    if kind == "array":
        return True, value if isinstance(value, list) else [value]
    if kind == "object":
        return True, value
    if isinstance(value, (dict, list)):
        return False, f"type check ('{kind}') failed - got {type(value).__name__.upper()}"
    value = value if isinstance(value, str) else json.dumps(value)
    if spec.get("enum") and value not in spec["enum"]:
        return False, f"value '{value}' does not have a value in the enumeration '{', '.join(spec['enum'])}'"
    if "maxLength" in spec and len(value) > spec["maxLength"]:
        return False, f"value may only be {spec['maxLength']} characters long"
    if "minLength" in spec and len(value) < spec["minLength"]:
        return False, f"value must be at least {spec['minLength']} characters long"
    if spec.get("pattern") and _pattern_refuses(spec["pattern"], value):
        return False, "value does not match the regex pattern"
    if isinstance(spec.get("format"), dict):
        problem = check_property_string(spec["format"], value)
        if problem:
            return False, f"invalid format - {problem}"
    return True, value


def check_property_string(fmt, text):
    """None, or why pve-common's parse_property_string would refuse this `a=b,c=d` value."""
    default_key = next((k for k, v in fmt.items() if v.get("default_key")), None)
    values = {}
    for part in text.split(","):
        if part.strip() == "":
            continue
        pair = re.match(r"^([^=]+)=(.+)$", part)
        if pair:
            key, value = pair.group(1), pair.group(2)
            spec = fmt.get(key) or {}
            if "alias" in spec:
                if "keyAlias" in spec:  # `virtio=MAC` means model=virtio, macaddr=MAC
                    values[spec["keyAlias"]] = key
                key = spec["alias"]
            if key in values:
                return f"duplicate key in comma-separated list property: {key}"
            values[key] = value
        elif "=" not in part:
            if not default_key:
                return "value without key, but schema does not define a default key"
            if default_key in values:
                return f"duplicate key in comma-separated list property: {default_key}"
            values[default_key] = part
        else:
            return f"missing value for key '{part.split('=', 1)[0]}'"
    for key, value in values.items():
        spec = fmt.get(key)
        if spec is None:
            return f"{key}: property is not defined in schema and the schema does not allow additional properties"
        ok, problem = check_value(spec, value)
        if not ok:
            return f"{key}: {problem}"
    for key, spec in fmt.items():
        if key not in values and not spec.get("optional") and "alias" not in spec and "default" not in spec:
            return f"{key}: property is missing and it is not optional"
    return None


def _pattern_refuses(pattern, value):
    try:
        return not re.fullmatch(pattern, value)
    except re.error:  # a Perl-only construct: do not refuse what we cannot judge
        return False


def _range(spec, value):
    if "minimum" in spec and value < spec["minimum"]:
        return False, f"value must have a minimum value of {spec['minimum']}"
    if "maximum" in spec and value > spec["maximum"]:
        return False, f"value must have a maximum value of {spec['maximum']}"
    return True, value
