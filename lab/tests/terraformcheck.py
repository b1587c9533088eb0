"""Static checks of terraform/ without a terraform binary (none can be installed here): the
files parse as HCL2 (python-hcl2), every value they read from inventory.yaml exists there,
variables are only credentials, providers are pinned. Each check returns problems as
`file:line: message` strings, so a failing test names the place to fix."""
import glob
import os
import re

import hcl2

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TERRAFORM = os.path.join(REPO, "terraform")

# `local.NAME` then any accessors: `.key`, `["key"]`, `[expr]`.
REFERENCE = re.compile(r"\blocal\.([A-Za-z_]\w*)((?:\.[A-Za-z_][\w-]*|\[[^\]\n]+\])*)")
ACCESSOR = re.compile(r"\.([A-Za-z_][\w-]*)|\[\s*\"([^\"]+)\"\s*\]|\[([^\]]+)\]")
# Inside a locals block: `NAME = local.inventory...` (an alias of part of the inventory) and
# `NAME = { for X in local.inventory... : ...}` (a map over the items of an inventory list).
ALIAS = re.compile(r"^\s+([A-Za-z_]\w*)\s*=\s*local\.inventory((?:\.[A-Za-z_][\w-]*|\[\s*\"[^\"]+\"\s*\])*)\s*$", re.M)
COLLECTION = re.compile(
    r"^\s+([A-Za-z_]\w*)\s*=\s*\{\s*for\s+\w+\s+in\s+local\.inventory((?:\.[A-Za-z_][\w-]*|\[\s*\"[^\"]+\"\s*\])*)\s*:", re.M)
RESOURCE = re.compile(r"^resource\s+\"([\w-]+)\"\s+\"([\w-]+)\"\s*\{", re.M)
FOR_EACH = re.compile(r"^  for_each\s*=\s*local\.([A-Za-z_]\w*)\s*$", re.M)
EACH_VALUE = re.compile(r"\beach\.value(?:\.([A-Za-z_][\w-]*)|\[\s*\"([^\"]+)\"\s*\])")
LOOKUP = re.compile(r"\blookup\(\s*each\.value\s*,\s*\"([^\"]+)\"")
SECRET_NAME = re.compile(r"token|secret|password|private|ocid|fingerprint|credential", re.I)
EXACT_VERSION = re.compile(r"^=?\s*\d+\.\d+\.\d+$")


def tf_files(root=TERRAFORM):
    return sorted(glob.glob(os.path.join(root, "**", "*.tf"), recursive=True))


def modules(root=TERRAFORM):
    """The directories that hold .tf files: each is one Terraform root module."""
    return sorted({os.path.dirname(path) for path in tf_files(root)})


def relative(path):
    return os.path.relpath(path, REPO)


def strip_comments(text):
    """The text with `#` and `//` comments blanked (same length and lines, so offsets still
    give line numbers); strings are left alone."""
    out, i, in_string = [], 0, False
    while i < len(text):
        char = text[i]
        if in_string:
            if char == "\\":
                out.append(text[i:i + 2])
                i += 2
                continue
            in_string = char != "\""
            out.append(char)
        elif char == "\"":
            in_string = True
            out.append(char)
        elif char == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


OPTIONS = hcl2.SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)


def _unquote(value):
    """Block labels stay quoted in python-hcl2's output ('"proxmox"'): plain names here."""
    if isinstance(value, dict):
        return {(key[1:-1] if key.startswith('"') and key.endswith('"') else key): _unquote(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unquote(item) for item in value]
    return value


def parse(path):
    """The file as python-hcl2 reads it (its parse error is raised as is)."""
    with open(path, encoding="utf-8") as handle:
        return _unquote(hcl2.load(handle, serialization_options=OPTIONS))


def _accessors(text):
    """`.a["b-c"][0][name]` -> ["a", "b-c", 0, None]: None for an index that is an expression."""
    keys = []
    for match in ACCESSOR.finditer(text):
        name, quoted, index = match.groups()
        if name is not None:
            keys.append(name)
        elif quoted is not None:
            keys.append(quoted)
        else:
            index = index.strip()
            keys.append(int(index) if index.isdigit() else None)
    return keys


def _follow(value, keys):
    """Walks keys into value; returns (ok, the key that is missing, the value reached)."""
    for key in keys:
        if key is None:
            return True, None, None  # an index chosen at plan time: nothing more to check
        if isinstance(key, int):
            if not isinstance(value, list) or key >= len(value):
                return False, key, None
            value = value[key]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return False, key, None
    return True, None, value


def _dotted(keys):
    return ".".join(str(key) for key in keys if key is not None)


def module_inventory_problems(module, inventory):
    """Every `local.inventory...` path of the module's files, directly or through a local that
    aliases part of the inventory, and every `each.value.KEY` of a resource that iterates over
    an inventory list, must exist in the inventory."""
    problems = []
    texts = {}
    for path in sorted(glob.glob(os.path.join(module, "*.tf"))):
        with open(path, encoding="utf-8") as handle:
            texts[path] = strip_comments(handle.read())
    aliases, collections = {}, {}
    for path, text in texts.items():
        for match in ALIAS.finditer(text):
            aliases[match.group(1)] = (_accessors(match.group(2)), path, line_of(text, match.start(1)))
        for match in COLLECTION.finditer(text):
            collections[match.group(1)] = (_accessors(match.group(2)), path, line_of(text, match.start(1)))

    def items_of(name):
        keys = collections[name][0]
        ok, _, value = _follow(inventory, keys)
        return value if ok and isinstance(value, list) else []

    for path, text in texts.items():
        for match in REFERENCE.finditer(text):
            name, keys = match.group(1), _accessors(match.group(2))
            where = f"{relative(path)}:{line_of(text, match.start())}"
            if name == "inventory":
                base = []
            elif name in aliases:
                base = aliases[name][0]
            elif name in collections:
                # local.talos_nodes[name].mac: the first accessor picks an item.
                for item in items_of(name):
                    ok, missing, _ = _follow(item, keys[1:])
                    if not ok:
                        problems.append(f"{where}: {match.group(0)} reads '{missing}', which the item "
                                        f"'{item.get('name', '?')}' of inventory.yaml {_dotted(collections[name][0])} lacks")
                continue
            else:
                continue
            ok, missing, _ = _follow(inventory, base + keys)
            if not ok:
                problems.append(f"{where}: {match.group(0)} reads inventory.yaml "
                                f"{_dotted(base + keys)}, but '{missing}' is not there")
        for resource in RESOURCE.finditer(text):
            end = re.compile(r"^\}", re.M).search(text, resource.end())
            body = text[resource.end():end.start() if end else len(text)]
            for_each = FOR_EACH.search(body)
            if not for_each or for_each.group(1) not in collections:
                continue
            items = items_of(for_each.group(1))
            source = _dotted(collections[for_each.group(1)][0])
            for use in EACH_VALUE.finditer(body):
                key = use.group(1) or use.group(2)
                where = f"{relative(path)}:{line_of(text, resource.end() + use.start())}"
                for item in items:
                    if key not in item:
                        problems.append(f"{where}: {use.group(0)} of resource {resource.group(1)}.{resource.group(2)}: "
                                        f"the item '{item.get('name', '?')}' of inventory.yaml {source} has no '{key}' "
                                        f"(use lookup(each.value, \"{key}\", DEFAULT) if it is optional)")
            known = set().union(*[set(item) for item in items]) if items else set()
            for use in LOOKUP.finditer(body):
                if use.group(1) not in known:
                    where = f"{relative(path)}:{line_of(text, resource.end() + use.start())}"
                    problems.append(f"{where}: lookup of '{use.group(1)}': no item of inventory.yaml {source} has it "
                                    f"(keys there: {', '.join(sorted(known))})")
    return problems


def variable_problems(path):
    """Variables are credentials or operator keys only: no default (a default would be a value
    kept outside the inventory), a description, and sensitive when the name says secret."""
    problems = []
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    for block in parse(path).get("variable", []):
        for name, body in block.items():
            found = re.search(r"^variable\s+\"" + re.escape(name) + "\"", text, re.M)
            where = f"{relative(path)}:{line_of(text, found.start()) if found else 1}"
            if "default" in body:
                problems.append(f"{where}: variable '{name}' has a default; values belong in inventory.yaml, "
                                "variables only carry credentials")
            if not str(body.get("description", "")).strip():
                problems.append(f"{where}: variable '{name}' has no description (say what it is and where it comes from)")
            secret = SECRET_NAME.search(name) and not name.endswith("public_key")
            if secret and body.get("sensitive") is not True:
                problems.append(f"{where}: variable '{name}' looks like a credential: mark it sensitive = true")
    return problems


def provider_problems(module):
    """One terraform block with required_providers, each with a source and an exact version,
    and every resource or data type's provider among them."""
    problems, required, used = [], {}, {}
    for path in sorted(glob.glob(os.path.join(module, "*.tf"))):
        parsed = parse(path)
        for block in parsed.get("terraform", []):
            for providers in block.get("required_providers", []):
                for name, spec in providers.items():
                    required[name] = (spec, path)
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_name in block:
                    used.setdefault(type_name.split("_")[0], f"{relative(path)}: {kind} {type_name}")
    where = relative(module)
    if not required:
        problems.append(f"{where}: no terraform {{ required_providers {{ ... }} }} block")
    for name, (spec, path) in required.items():
        if not isinstance(spec, dict) or not spec.get("source"):
            problems.append(f"{relative(path)}: provider '{name}' has no source")
            continue
        if not EXACT_VERSION.match(str(spec.get("version", ""))):
            problems.append(f"{relative(path)}: provider '{name}' ({spec['source']}) is not pinned to an exact "
                            f"version (found {spec.get('version')!r}; Renovate bumps it)")
    for name, first in sorted(used.items()):
        if name not in required:
            problems.append(f"{first}: provider '{name}' is not in required_providers")
    return problems


def template_problems(module):
    """Every templatefile() call's template exists and every top-level name it uses is passed."""
    problems = []
    for path in sorted(glob.glob(os.path.join(module, "*.tf"))):
        with open(path, encoding="utf-8") as handle:
            text = strip_comments(handle.read())
        for call in re.finditer(r"templatefile\(\"\$\{path\.module\}/([^\"]+)\",\s*\{", text):
            template = os.path.join(module, call.group(1))
            where = f"{relative(path)}:{line_of(text, call.start())}"
            if not os.path.exists(template):
                problems.append(f"{where}: template {call.group(1)} does not exist")
                continue
            depth, i = 1, call.end()
            while depth and i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            passed = set(re.findall(r"^\s+([A-Za-z_]\w*)\s*=", text[call.end():i], re.M))
            with open(template, encoding="utf-8") as handle:
                body = handle.read()
            bound = set(re.findall(r"%\{\s*for\s+(\w+)\s+in", body))
            used = set()
            for expression in re.findall(r"[$%]\{~?([^}]*)\}", body):
                expression = re.sub(r"\"[^\"]*\"|`[^`]*`", "", expression)
                for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)\b(?!\s*\()", expression):
                    used.add(name)
            used -= bound | {"for", "in", "endfor", "if", "else", "endif", "true", "false", "null"}
            for name in sorted(used - passed):
                problems.append(f"{relative(template)}: uses '{name}', which {where} does not pass")
    return problems


STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
ASSIGN = re.compile(r"^(\s*)([A-Za-z_][\w-]*|\"[^\"]*\")(\s*)=(?![=>])(\s*)")


def _brackets(code):
    return sum({"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(char, 0) for char in code)


def fmt_problems(path):
    """What `terraform fmt` would change, by hclwrite's own rules (hclwrite/format.go): indent
    two spaces per open bracket level; `=` of consecutive single-line attributes aligned one
    space after the longest name (a blank line, a comment line, a block or a multi-line value
    ends the run); one space around `=` otherwise; no tabs or trailing blanks; one final
    newline. Heredocs are not used here, so they are not handled."""
    text = read(path)
    problems = []
    where = relative(path)
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append(f"{where}: the file must end with exactly one newline")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    indents, chain = [], []

    def close_chain():
        if chain:
            column = max(len(lead) for _, lead, _ in chain) + 1
            for number, lead, equals in chain:
                if equals != column:
                    problems.append(f"{where}:{number}: '=' at column {equals + 1}, terraform fmt puts it at column {column + 1}")
            chain.clear()

    for number, line in enumerate(lines, 1):
        if "\t" in line or line != line.rstrip():
            problems.append(f"{where}:{number}: tabs or trailing blanks")
        code = strip_comments(STRING.sub('""', line))
        if not line.strip():
            close_chain()
            continue
        net = _brackets(code)
        if net < 0:
            closed = -net
            while closed > 0 and indents:
                if closed >= indents[-1]:
                    closed -= indents.pop()
                else:
                    indents[-1] -= closed
                    closed = 0
        expected = 2 * len(indents)
        if net > 0:
            indents.append(net)
        indent = len(line) - len(line.lstrip(" "))
        if indent != expected:
            problems.append(f"{where}:{number}: indented {indent} spaces, terraform fmt indents {expected}")
        match = ASSIGN.match(code)
        if match and _brackets(code[match.end():]) == 0:
            lead = match.group(1) + match.group(2)
            chain.append((number, lead, match.start(3) + len(match.group(3))))
            if match.group(4) != " " and code[match.end():].strip():
                problems.append(f"{where}:{number}: one space after '=', found {len(match.group(4))}")
            continue
        close_chain()
        if match and (match.group(3) != " " or match.group(4) != " "):
            problems.append(f"{where}:{number}: one space around '=' (a multi-line value is not aligned)")
    close_chain()
    return problems
