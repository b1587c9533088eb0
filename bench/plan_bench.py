#!/usr/bin/env python3
"""Time and peak memory of `homelab validate` / `homelab plan` on a generated 10,000-step
runbook, side by side with `ansible-playbook --list-tasks` on an equivalent playbook: the
nearest thing Ansible has to a plan (it parses the playbook into tasks and lists them, running
nothing; homelab also resolves every expression and orders the step graph into waves).

Standard library only. Everything generated goes to bench/out/; a fixed seed keeps the
files, and so the numbers, comparable from run to run.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
SEED = 20261127
TARGET_SECONDS = 1.0
TARGET_MB = 200
CLUSTERS = 12  # inventory lists the for-each steps iterate over


# --- the workload: one abstract DAG, written out as a runbook and as a playbook -------------

class Step:
    """One runbook step; `items` is (cluster index, item names) for a for-each step."""

    def __init__(self, id, kind="exec", needs=(), reads=None, items=None, when=None,
                 serial=None, secret=False, destructive=False, finally_=False):
        self.id, self.kind, self.needs, self.reads = id, kind, list(needs), reads
        self.items, self.when, self.serial, self.secret = items, when, serial, secret
        self.destructive, self.finally_ = destructive, finally_

    @property
    def has_outputs(self):
        """A plain exec step: others may read its stdout and exit-code."""
        return self.kind == "exec" and not self.items

    @property
    def instances(self):
        return len(self.items[1]) if self.items else 1


def make_inventory(rng):
    clusters = []
    for c in range(CLUSTERS):
        nodes = [{"name": f"n{c:02d}-{n}", "ip": f"10.{c}.0.{10 + n}", "vmid": 1000 * (c + 1) + n,
                  "memory": rng.choice([2048, 4096, 8192])} for n in range(rng.randint(3, 8))]
        clusters.append({"name": f"c{c:02d}", "api": f"https://10.{c}.0.1:6443", "nodes": nodes})
    return {"site": "bench", "domain": "bench.home.arpa", "clusters": clusters}


def make_steps(total, rng, inventory):
    """Steps whose for-each expansion gives exactly `total` instances: a hub that fans out,
    long chains (depth), wide layers with random needs into the previous layer and reads of
    older outputs (width, long edges), fan-in gates every few layers, and a finally step."""
    steps, budget, reserve = [], total, 2  # `join` and `report` come last

    def add(step):
        nonlocal budget
        steps.append(step)
        budget -= step.instances
        return step

    def plain_or_foreach(id, **kw):
        # A for-each step only where its whole item list still fits in the budget.
        c = rng.randrange(CLUSTERS)
        names = [n["name"] for n in inventory["clusters"][c]["nodes"]]
        if rng.random() < 0.25 and len(names) <= budget - reserve:
            kw["items"] = (c, names)
        return add(Step(id, **kw))

    hub = add(Step("preflight"))
    tails = []
    chains, length = 4, max(1, total // 25)
    for c in range(chains):
        prev = hub
        for k in range(length):
            if budget <= reserve + 1:
                break
            # Every fifth link depends only through the output it reads: an implied edge.
            reads = prev if k % 5 == 4 else None
            prev = add(Step(f"chain{c}-{k:04d}", needs=[] if reads else [prev], reads=reads,
                            serial=f"chain{c}" if k % 50 == 0 else None))
        tails.append(prev)

    outputs, layer, previous = [hub], 0, [hub]
    while budget > reserve:
        layer += 1
        if layer % 8 == 0 and len(previous) > 1:  # fan-in, then everything fans out of it
            gate = add(Step(f"gate{layer:03d}", needs=previous, kind="approval"))
            previous = [gate]
            continue
        current = []
        for s in range(rng.randint(40, 160)):
            if budget <= reserve:
                break
            roll = rng.random()
            needs = rng.sample(previous, min(len(previous), rng.randint(1, 3)))
            when = rng.choice([None, None, "restore", "staging", "ok"])
            step = plain_or_foreach(
                f"l{layer:03d}-{s:03d}",
                kind="wait" if roll < 0.03 else "exec", needs=needs,
                reads=rng.choice(outputs) if roll > 0.8 else None,
                when=None if when == "ok" and not needs[0].has_outputs else when,
                serial=rng.choice(["zfs", "proxmox"]) if roll < 0.1 else None,
                secret=rng.random() < 0.1, destructive=rng.random() < 0.05)
            current.append(step)
            if step.has_outputs:
                outputs.append(step)
        previous = current
    add(Step("join", needs=previous + tails))
    add(Step("report", finally_=True))
    assert budget == 0, budget
    return steps


# --- the runbook ---------------------------------------------------------------------------

def q(text):
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def runbook_yaml(steps):
    out = [
        "runbook: bench-plan",
        "description: Generated by bench/plan_bench.py; wide and deep, for-each, expressions.",
        "inventory: inventory.yaml",
        "params:",
        "  version: { default: v1.2.3 }",
        "  env: { default: prod, enum: [prod, staging] }",
        "  restore: { default: true }",
        "secrets:",
        "  token: { env: BENCH_TOKEN }",
        "defaults:",
        "  retry: { attempts: 3, backoff: 5s, max-backoff: 1m }",
        "  timeout: 10m",
        "steps:",
    ]
    when = {"restore": "${params.restore}", "staging": "${params.env == 'staging'}"}
    for s in steps:
        out.append(f"  - id: {s.id}")
        out.append(f"    uses: {s.kind}")
        if s.items:
            out.append(f"    for-each: ${{inventory.clusters[{s.items[0]}].nodes}}")
        if s.needs:
            out.append(f"    needs: [{', '.join(n.id for n in s.needs)}]")
        if s.when == "ok":
            out.append(f"    when: ${{steps.{s.needs[0].id}.outputs.exit-code == 0}}")
        elif s.when in when:
            out.append(f"    when: {when[s.when]}")
        if s.serial:
            out.append(f"    serial: {s.serial}")
        if s.destructive:
            out.append("    destructive: true")
        if s.finally_:
            out.append("    finally: true")
        if s.kind == "wait":
            out.append("    with: { duration: 1s }")
        elif s.kind == "approval":
            out.append(f"    with: {{ message: {q(f'Continue after {len(s.needs)} steps in ${{params.env}}?')} }}")
        else:
            out.append("    with:")
            out.append(f"      command: {q(runbook_command(s))}")
            if s.secret:
                out.append("      env: { TOKEN: \"${secrets.token}\" }")
    return "\n".join(out) + "\n"


def runbook_command(s):
    parts = [f"echo {s.id} ${{params.version}} on ${{inventory.site}}"]
    if s.items:
        c = s.items[0]
        parts.append(f"node ${{item.name}} ${{item.ip}} (${{item.memory}} MiB) via ${{inventory.clusters[{c}].api}}")
    if s.reads:
        parts.append(f"after ${{steps.{s.reads.id}.outputs.stdout}}")
    return " ".join(parts)


# --- the playbook --------------------------------------------------------------------------

def var(step):
    return "r_" + step.id.replace("-", "_")


def playbook_yaml(steps):
    """The same steps in Ansible, in dependency order (a play runs its tasks in sequence). The
    finally step is simply the last task: --list-tasks does not list a block's `always:`.
    Ansible lists a loop as one task, so each for-each instance is its own task looping over
    its one item: the task count then equals the plan's instance count."""
    out = [
        "- name: bench-plan",
        "  hosts: localhost",
        "  gather_facts: false",
        "  vars_files: [inventory.yaml]",  # the runbook's inventory, read as Ansible vars
        "  vars: { version: v1.2.3, env: prod, restore: true }",
        "  tasks:",
    ]
    for s in steps:
        out += playbook_tasks(s)
    return "\n".join(out) + "\n"


def playbook_tasks(s):
    when = {"restore": "restore | bool", "staging": "env == 'staging'"}
    out, pad = [], " " * 6
    for i, key in enumerate(s.items[1] if s.items else [None]):
        out.append(f"    - name: {q(f'{s.id}[{key}]' if key else s.id)}")
        if s.kind == "wait":
            out.append(pad + "ansible.builtin.pause: { seconds: 1 }")
        elif s.kind == "approval":
            prompt = f"Continue after {len(s.needs)} steps in {{{{ env }}}}?"
            out.append(pad + f"ansible.builtin.pause: {{ prompt: {q(prompt)} }}")
        else:
            out.append(pad + f"ansible.builtin.command: {q(playbook_command(s))}")
            out.append(pad + f"register: {var(s)}")
        if key:
            out.append(pad + f"loop: \"{{{{ clusters[{s.items[0]}].nodes[{i}:{i + 1}] }}}}\"")
        if s.when == "ok":
            out.append(pad + f"when: {var(s.needs[0])}.rc == 0")
        elif s.when in when:
            out.append(pad + f"when: {q(when[s.when])}")
        if s.serial:
            out.append(pad + "throttle: 1")
        if s.secret:
            out.append(pad + "environment: { TOKEN: \"{{ lookup('env', 'BENCH_TOKEN') }}\" }")
        # The runbook's defaults: 3 attempts 5 s apart, 10 minutes.
        out.append(pad + "retries: 3")
        out.append(pad + "delay: 5")
        out.append(pad + "timeout: 600")
    return out


def playbook_command(s):
    parts = [f"echo {s.id} {{{{ version }}}} on {{{{ site }}}}"]
    if s.items:
        c = s.items[0]
        parts.append(f"node {{{{ item.name }}}} {{{{ item.ip }}}} ({{{{ item.memory }}}} MiB) "
                     f"via {{{{ clusters[{c}].api }}}}")
    if s.reads:
        parts.append(f"after {{{{ {var(s.reads)}.stdout }}}}")
    return " ".join(parts)


# --- measuring -----------------------------------------------------------------------------

def measure(argv, env=None):
    """Wall seconds and peak RSS (MB) of one run, stdout discarded. wait4() gives this child's
    own peak, where getrusage(RUSAGE_CHILDREN) would give the largest of all children so far."""
    with open(os.path.join(OUT, "stderr.txt"), "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode != 0:
        with open(err.name, errors="replace") as f:
            sys.exit(f"error: {' '.join(argv)} exited {proc.returncode}:\n{f.read()[-2000:]}")
    return seconds, usage.ru_maxrss * 1024 / 1e6  # KiB on Linux; the target is in MB


def check(argv, env=None):
    """Runs once untimed (also warms the page cache) and returns stdout, failing loudly."""
    run = subprocess.run(argv, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit(f"error: {' '.join(argv)} exited {run.returncode}:\n{run.stderr[-2000:]}{run.stdout[-2000:]}")
    return run.stdout


def bench(label, argv, runs, env=None):
    results = [measure(argv, env) for _ in range(runs)]
    return label, statistics.median(t for t, _ in results), max(m for _, m in results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homelab", default=os.path.join(HERE, "..", ".build-bench/swift/release/homelab"),
                        help="the homelab binary (default: the one `make bench` builds)")
    parser.add_argument("--ansible", default="ansible-playbook", help="the ansible-playbook program")
    parser.add_argument("--steps", type=int, default=10_000, help="step instances to generate")
    parser.add_argument("--runs", type=int, default=5, help="runs of each homelab command")
    parser.add_argument("--ansible-runs", type=int, default=3, help="runs of ansible-playbook")
    args = parser.parse_args()
    if args.steps < 10 or args.runs < 1 or args.ansible_runs < 1:
        parser.error("--steps must be at least 10 and the run counts at least 1")

    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(SEED)
    inventory = make_inventory(rng)
    steps = make_steps(args.steps, rng, inventory)
    runbook, playbook = os.path.join(OUT, "runbook.yaml"), os.path.join(OUT, "playbook.yml")
    hosts = os.path.join(OUT, "hosts.ini")
    with open(os.path.join(OUT, "inventory.yaml"), "w") as f:
        json.dump(inventory, f, indent=1)  # JSON is YAML, and both programs read it
    with open(runbook, "w") as f:
        f.write(runbook_yaml(steps))
    with open(playbook, "w") as f:
        f.write(playbook_yaml(steps))
    with open(hosts, "w") as f:
        f.write("localhost ansible_connection=local\n")

    homelab, ansible_playbook = os.path.abspath(args.homelab), shutil.which(args.ansible)
    if not os.access(homelab, os.X_OK) or not ansible_playbook:
        sys.exit(f"error: need {args.homelab} and {args.ansible}; `make bench` builds and installs both")
    # Ansible refuses a non-UTF-8 locale and would write under ~/.ansible; keep it in out/.
    ansible_env = dict(os.environ, LC_ALL="C.UTF-8", ANSIBLE_LOCAL_TEMP=os.path.join(OUT, "ansible-tmp"),
                       ANSIBLE_HOME=os.path.join(OUT, "ansible-home"))
    ansible = [ansible_playbook, "--list-tasks", "-i", hosts, playbook]

    check([homelab, "validate", runbook])
    plan = json.loads(check([homelab, "plan", runbook, "--json"]))
    listed = sum(1 for line in check(ansible, ansible_env).splitlines()
                 if line.startswith("      ") and "TAGS:" in line)  # task lines, not the play's
    if plan["summary"]["instances"] != args.steps or listed != args.steps:
        sys.exit(f"error: expected {args.steps} instances and tasks, got {plan['summary']['instances']} and {listed}")
    print(f"runbook: {len(steps)} steps -> {args.steps} instances in {plan['summary']['waves']} waves "
          f"({os.path.getsize(runbook) >> 10} KiB); playbook: {listed} tasks ({os.path.getsize(playbook) >> 10} KiB)")
    # Other work on the machine skews the times; the load average says how much there was.
    print(f"runs: {args.runs} of each homelab command, {args.ansible_runs} of ansible-playbook; "
          f"median time, max peak RSS; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}\n")

    rows = [bench("homelab validate", [homelab, "validate", runbook], args.runs),
            bench("homelab plan --json", [homelab, "plan", runbook, "--json"], args.runs),
            bench("homelab plan", [homelab, "plan", runbook], args.runs)]
    _, a_time, a_mem = reference = bench("ansible-playbook --list-tasks", ansible, args.ansible_runs, ansible_env)

    print(f"{'command':<31}{'seconds':>9}{'peak MB':>9}   {'ansible/this: time':>18}{'memory':>8}")
    for label, t, m in rows:
        print(f"{label:<31}{t:>9.3f}{m:>9.1f}   {a_time / t:>17.1f}x{a_mem / m:>7.1f}x")
    print(f"{reference[0]:<31}{a_time:>9.3f}{a_mem:>9.1f}")

    print()
    plans = rows[1:]
    times = ", ".join(f"{label[8:]} {t:.3f} s" for label, t, _ in plans)
    peaks = ", ".join(f"{label[8:]} {m:.1f} MB" for label, _, m in plans)
    verdict = lambda ok: "met" if ok else "NOT MET"
    print(f"target plan under {TARGET_SECONDS:g} s: {verdict(all(t < TARGET_SECONDS for _, t, _ in plans))} ({times})")
    print(f"target plan under {TARGET_MB} MB peak RSS: {verdict(all(m < TARGET_MB for _, _, m in plans))} ({peaks})")

if __name__ == "__main__":
    main()
