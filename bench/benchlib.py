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
