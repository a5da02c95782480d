"""Row 4: streaming upload memory. A sparse .mp4 is uploaded from a child process, once with
``client.upload(path)`` and once with raw ``httpx`` multipart streaming; the child reports its
peak RSS growth during the upload and the throughput.

Peak RSS is reset right before the upload (``/proc/self/clear_refs`` = 5) so the growth is the
upload's own; where that is not allowed the previous peak is the baseline (an underestimate,
flagged in the output).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH_DIR, Emulator, MiB, Row, child_env, emulator, median, vm_kib

TARGET_MIB = 64.0
UPLOAD_PATH = "/serve/api/v1/upload"


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def child(mode: str, path: str, base_url: str, api_key: str) -> dict[str, float]:
    """Runs in the child: warm up with a tiny upload, then measure the big one."""
    import httpx

    from memories_integrations import MemoriesClient

    tiny = Path(path).with_name("warmup.mp4")
    tiny.write_bytes(b"\0" * 4096)
    if mode == "client":
        client = MemoriesClient(api_key=api_key, base_url=base_url)

        def upload(p: Path) -> None:
            client.upload(p)

    else:
        http = httpx.Client(headers={"Authorization": api_key}, timeout=600)

        def upload(p: Path) -> None:
            with open(p, "rb") as fh:  # httpx streams a file object in chunks
                files = {"file": (p.name, fh, "video/mp4")}
                response = http.post(
                    base_url + UPLOAD_PATH, data={"unique_id": "default"}, files=files
                )
            response.raise_for_status()
            assert response.json()["code"] == "0000", response.text

    upload(tiny)
    exact = _reset_peak()
    before = vm_kib("VmRSS") if exact else vm_kib("VmHWM")
    start = time.perf_counter()
    upload(Path(path))
    seconds = time.perf_counter() - start
    growth = max(0, vm_kib("VmHWM") - before) / 1024
    return {"growth_mib": growth, "seconds": seconds, "exact": float(exact)}


def _run_child(mode: str, path: Path, base_url: str, api_key: str) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__)), "--child", mode, str(path), base_url, api_key]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=child_env())
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(emu: Emulator, *, quick: bool) -> list[Row]:
    sizes = [32, 64] if quick else [256, 1024]
    rounds = 1 if quick else 2
    growth: dict[tuple[str, int], list[float]] = {}
    speed: dict[tuple[str, int], list[float]] = {}
    exact = True
    with tempfile.TemporaryDirectory(dir=BENCH_DIR.parent) as tmp:
        for size in sizes:
            path = Path(tmp, f"big_{size}.mp4")
            with open(path, "wb") as fh:
                fh.truncate(size * MiB)  # sparse: no disk space, reads as zeros
            for i in range(rounds):  # ABAB...
                for mode in ("client", "raw") if i % 2 == 0 else ("raw", "client"):
                    r = _run_child(mode, path, emu.base_url, emu.api_key)
                    exact = exact and bool(r["exact"])
                    growth.setdefault((mode, size), []).append(r["growth_mib"])
                    speed.setdefault((mode, size), []).append(size / r["seconds"])
            path.unlink()
        server_peak = emu.peak_rss_mib()
    small, big = sizes
    g_small, g_big = median(growth["client", small]), median(growth["client", big])
    raw_big = median(growth["raw", big])
    # "Not growing with file size": 4x the bytes may not add more than a quarter of the budget.
    flat = g_big - g_small <= TARGET_MIB / 4
    note = "" if exact else " (peak reset not permitted: growth is a lower bound)"
    t_client, t_raw = median(speed["client", big]), median(speed["raw", big])
    return [
        Row(
            "upload_rss",
            f"upload {big} MiB sparse .mp4: client peak RSS growth",
            f"<= {TARGET_MIB:.0f} MiB, flat in size",
            g_big,
            "MiB",
            g_big <= TARGET_MIB and flat,
            f"{g_small:.1f} MiB at {small} MiB, {g_big:.1f} MiB at {big} MiB; raw httpx "
            f"{raw_big:.1f} MiB; emulator process peak {server_peak:.0f} MiB{note}",
            {
                "growth_small_mib": g_small,
                "growth_big_mib": g_big,
                "raw_growth_big_mib": raw_big,
                "emulator_peak_mib": server_peak,
            },
        ),
        Row(
            "upload_throughput",
            f"upload {big} MiB: client throughput / raw httpx streaming",
            "report",
            t_client / t_raw,
            "x",
            None,
            f"{t_client:.0f} MiB/s vs {t_raw:.0f} MiB/s",
            {"client_mib_s": t_client, "raw_mib_s": t_raw},
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, path, base_url, api_key = sys.argv[2:6]
        print(json.dumps(child(mode, path, base_url, api_key)))
    else:
        with emulator() as server:
            for row in run(server, quick="--quick" in sys.argv):
                print(row)
