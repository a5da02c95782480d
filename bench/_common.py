"""Shared pieces of the benchmarks: the emulator process, A/B timing, result rows."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SAMPLES = ROOT / "memories_integrations" / "testing" / "samples"
QUERY = "bike ride through the city"
MiB = 1 << 20
# The benches measure the client against an unlimited emulator: no client-side limiter either
# (it is on by default for the per-minute endpoints, e.g. 1 upload per minute).
os.environ.setdefault("MEMORIES_RATE_LIMITER", "off")


@dataclass
class Row:
    """One line of the results table."""

    key: str
    figure: str
    target: str
    measured: float
    unit: str
    met: bool | None  # None: informational, no target
    detail: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Emulator:
    base_url: str
    api_key: str
    pid: int

    def peak_rss_mib(self) -> float:
        return vm_kib("VmHWM", self.pid) / 1024

    def set_latency(self, seconds: float) -> None:
        """Seconds the emulator sleeps before answering each API request (admin API)."""
        import httpx

        url = self.base_url + "/_emulator/settings"
        httpx.post(url, json={"extra_latency": seconds}).raise_for_status()


@contextmanager
def emulator() -> Iterator[Emulator]:
    """The emulator in a child process (rate limits off): its CPU and RSS are not ours."""
    cmd = [sys.executable, str(BENCH_DIR / "emulator_proc.py")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        if len(line) != 2:
            raise RuntimeError("benchmark emulator failed to start")
        yield Emulator(line[0], line[1], proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def seed_corpus(base_url: str, api_key: str) -> None:
    """Upload the sample videos and wait until they are searchable (search has hits)."""
    from memories_integrations import MemoriesClient

    with MemoriesClient(api_key=api_key, base_url=base_url) as client:
        if client.search(QUERY, top_k=5):
            return  # already seeded (the emulator is shared by the rows)
        for path in sorted(SAMPLES.glob("*.mp4")):
            client.upload(path)
        deadline = time.monotonic() + 10
        while not client.search(QUERY, top_k=5):
            if time.monotonic() > deadline:
                raise RuntimeError("emulator never finished encoding the samples")
            time.sleep(0.05)


def vm_kib(name: str, pid: int | str = "self") -> int:
    """A ``Vm*`` line of /proc/<pid>/status, in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def timed_batch(fn: Callable[[], object], n: int) -> float:
    """Seconds per call of ``fn`` over ``n`` calls (GC collected first, so no batch pays for
    the previous one's garbage)."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def interleaved(
    a: Callable[[], object], b: Callable[[], object], *, rounds: int, n: int
) -> tuple[list[float], list[float]]:
    """Per-call seconds of ``a`` and ``b``, rounds alternating AB, BA, ... so drift in machine
    load hits both sides equally."""
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(rounds):
        if i % 2 == 0:
            times_a.append(timed_batch(a, n))
            times_b.append(timed_batch(b, n))
        else:
            times_b.append(timed_batch(b, n))
            times_a.append(timed_batch(a, n))
    return times_a, times_b


def cpu_per_call(call: Callable[[], object], *, rounds: int, n: int) -> float:
    """Median client-process CPU seconds per call: immune to the server's timing jitter."""
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(n):
            call()
        samples.append((time.process_time() - start) / n)
    return statistics.median(samples)


def median_ratio(a: list[float], b: list[float]) -> float:
    """Median of the per-round ratios a/b (pairs measured side by side)."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def median(values: list[float]) -> float:
    return statistics.median(values)


def child_env() -> dict[str, str]:
    """Environment for child interpreters: the package importable from the checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env
