"""Helpers shared by the benchmark scripts: the CPU's name, the load
average, and JIDT (through tests/peers/_jidt.py) when it can run here."""
from __future__ import annotations

import os
import platform
import sys
from typing import Any


def cpu_name() -> str:
    """The CPU's model name (/proc/cpuinfo), else what platform reports."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, or "n/a"."""
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def jidt_module() -> Any:
    """tests/peers/_jidt.py with the JVM started, or None when jpype or
    JIDT's jar is missing (or the JVM does not start)."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "peers")
    if here not in sys.path:
        sys.path.insert(0, here)
    try:
        import _jidt  # noqa: PLC0415
        import jpype  # noqa: F401, PLC0415

        if _jidt.jar_path() is None:
            return None
        _jidt.jidt()
        return _jidt
    except Exception:  # noqa: BLE001 - any failure: JIDT not available here
        return None
