"""The catalogue's roll-up rules (checks.md, "Statuses" and "Device verdict"), used by the generators
to derive a device verdict from the hand-written finding statuses. Nothing else is computed."""

ORDER = {"ready": 0, "advisory": 1, "error": 2, "not_ready": 3}


def rollup(status):
    """'status' or 'not_evaluated:reason' -> roll-up value, or None (counts for nothing)."""
    if status.startswith("not_evaluated"):
        reason = status.split(":", 1)[1] if ":" in status else ""
        return None if reason == "needs_device_evidence" else "advisory"
    if status in ("not_applicable", "info"):
        return None
    if status in ORDER:
        return status
    raise ValueError("unknown status %r" % status)


def worst(statuses):
    """Worst roll-up value among the statuses; 'ready' when none counts (all info / n/a / probe-only)."""
    best = "ready"
    for s in statuses:
        r = rollup(s)
        if r is not None and ORDER[r] > ORDER[best]:
            best = r
    return best


EXIT = {"ready": 0, "advisory": 1, "not_ready": 2, "error": 3}
