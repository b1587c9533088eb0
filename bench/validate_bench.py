#!/usr/bin/env python3
"""Time and peak memory of `homelab validate` (issue 14) on (a) this repository and (b) a
generated tree of 500 services, each made by `homelab service add` with a mix of its flags,
in a temporary directory holding only a minimal inventory.yaml.

Standard library only. Each command runs once untimed (it warms the page cache and shows that
the tree validates), then --runs times: the median wall time and the largest peak RSS, read
with wait4() so each figure is that child's own.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
INVENTORY = "site: bench\nnetwork:\n  lan: 192.0.2.0/24\n  domain: bench.home.arpa\n"


def service_arguments(i, workloads):
    """`homelab service add` arguments for service i: every flag in a fixed rotation, so the
    tree is the same on every run; dependencies point at services made before it."""
    name = f"svc-{i:03d}"
    args = [name, "--image", f"ghcr.io/bench/{name}:1.{i % 7}.{i % 5}", "--port", str(8000 + i % 100)]
    if i % 2 == 0:
        args.append("--exposed")
    if i % 3 == 0:
        args += ["--storage", f"{1 + i % 50}Gi"]
    if i % 4 == 0:
        args += ["--metrics", "9100"]
    if i % 5 == 0:
        args.append("--secrets")
    if i % 10 == 1:
        args += ["--group", "monitoring"]
    elif i % 15 == 2:
        args += ["--group", "security"]
    if i % 7 == 6 and len(workloads) >= 2:
        args += ["--depends-on", workloads[-1], workloads[-2]]
    return name, args


def generate(homelab, root, count):
    with open(os.path.join(root, "inventory.yaml"), "w") as f:
        f.write(INVENTORY)
    os.makedirs(os.path.join(root, "kubernetes", "base"))
    made = []
    for i in range(count):
        name, args = service_arguments(i, made)
        run = subprocess.run([homelab, "service", "add", *args, "--root", root], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"error: homelab service add {' '.join(args)} exited {run.returncode}:\n{run.stderr}")
        made.append(name)


def count_files(root):
    total = 0
    for top in ("kubernetes", "flux", "runbooks", "storage"):
        for _, _, files in os.walk(os.path.join(root, top)):
            total += sum(1 for f in files if f.endswith((".yaml", ".yml", ".md")))
    return total


def check(homelab, cwd):
    """One untimed run: its exit status and last line (the summary), shown beside the figures."""
    run = subprocess.run([homelab, "validate", "--color", "never"], cwd=cwd, capture_output=True, text=True)
    lines = (run.stdout + run.stderr).strip().splitlines()
    return run.returncode, (lines[-1] if lines else "")


def measure(homelab, cwd):
    start = time.perf_counter()
    proc = subprocess.Popen([homelab, "validate", "--color", "never"], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss * 1024 / 1e6  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homelab", required=True, help="the (release) homelab binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--repo", default=REPO, help="the repository to validate (default: this one)")
    args = parser.parse_args()
    homelab = os.path.abspath(args.homelab)

    tree = tempfile.mkdtemp(prefix="homelab-validate-bench-")
    try:
        started = time.perf_counter()
        generate(homelab, tree, args.services)
        generated = time.perf_counter() - started
        cases = [("repository", args.repo), (f"{args.services} generated services", tree)]
        rows = []
        for label, cwd in cases:
            status, summary = check(homelab, cwd)
            results = [measure(homelab, cwd) for _ in range(args.runs)]
            rows.append((label, count_files(cwd), statistics.median(t for t, _ in results),
                         max(m for _, m in results), status, summary))
    finally:
        shutil.rmtree(tree, ignore_errors=True)

    print(f"homelab validate, {args.runs} runs each: median wall time, largest peak RSS; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(f"(the {args.services} services took {generated:.1f} s to generate with `homelab service add`, "
          f"one process each)\n")
    print(f"{'tree':<24}{'files':>7}{'seconds':>10}{'peak MB':>9}  exit  summary")
    for label, files, seconds, peak, status, summary in rows:
        print(f"{label:<24}{files:>7}{seconds:>10.3f}{peak:>9.1f}  {status:>4}  {summary}")
    if any(status != 0 for *_, status, _ in rows):
        sys.exit("error: a tree did not validate clean (exit status above); its figures time a run with diagnostics")


if __name__ == "__main__":
    main()
