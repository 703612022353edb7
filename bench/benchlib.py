# SPDX-License-Identifier: Apache-2.0
"""Helpers shared by the bench/*/report.py scripts."""


def load(path):
    """KEY=VALUE lines of a results file; the first value of a key wins."""
    kv = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                kv.setdefault(k, v)
    return kv


def num(v):
    """v as a float, or None when it is missing or not a number."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def run_line(g, tail=""):
    """A report's first line: when, the load then, the machine; tail (e.g.
    "; " and the file system) goes before the full stop."""
    return (f"Run {g('date')} (load average {g('loadavg')} at start) on {g('nproc')} x "
            f"{g('cpu')} ({g('mem')}), {g('os')}, {g('kernel')}{tail}.")


def versions(g):
    """The start of a report's "Versions:" line: sertel, its commit, OpenSSL."""
    return f"Versions: sertel {g('sertel')} (commit {g('commit')}), {g('openssl')}"


def perf_samples(stream):
    """Call stacks of `perf script` output, leaf first: a list of
    (address, symbol) per sample, symbols without offsets or "(inlined)"."""
    stack = []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        if not line.startswith((" ", "\t")):
            stack = []  # header line: comm tid
            continue
        parts = line.split(None, 1)
        sym = parts[1] if len(parts) > 1 else "[unknown]"
        stack.append((parts[0], sym.replace(" (inlined)", "").split("+")[0].strip()))
    if stack:
        yield stack
