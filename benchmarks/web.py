"""The web app under a live uvicorn on loopback (prints figures; not a test).

- calculator round trip: POST /calculator/result (the live update) with the founding case's
  answers, sequential on one keep-alive connection — target p99 < 50 ms;
- bounded load test: a fixed number of requests from a few concurrent clients (calculator
  updates, criteria pages, the start page) — target ≥ 200 requests/s with no errors on 2 cores;
- founding-case text report: POST /report with the web rendition of the case report (read,
  assess, render) — target < 300 ms.

Run: .venv/bin/python benchmarks/web.py [--requests N] [--clients C]
The server and this client share the machine's cores, so the figures are conservative.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("HELIOTROPE_SHARED", ROOT.parent / "shared")) / "seeds"
FOUNDING_TEXT = SEEDS / "case-report.web.txt"
FOUNDING_ANSWERS = {
    "eular_acr_2017.age": "40_plus",
    "eular_acr_2017.weakness_proximal_upper": "present",
    "eular_acr_2017.weakness_proximal_lower": "present",
    "eular_acr_2017.neck_flexors_weaker_than_extensors": "absent",
    "eular_acr_2017.heliotrope_rash": "present",
    "eular_acr_2017.gottron_papules": "present",
    "eular_acr_2017.dysphagia_or_oesophageal_dysmotility": "absent",
    "eular_acr_2017.anti_jo1": "absent",
    "eular_acr_2017.elevated_muscle_enzymes": "present",
    "eular_acr_2017.better_explanation": "absent",
    "bohan_peter_1975.proximal_weakness": "present",
    "bohan_peter_1975.elevated_muscle_enzymes": "present",
    "bohan_peter_1975.myopathic_emg": "present",
    "bohan_peter_1975.muscle_biopsy_myositis": "absent",
    "bohan_peter_1975.dm_rash": "present",
    "enmc_2018_dm.heliotrope_rash": "present",
    "enmc_2018_dm.proximal_weakness": "present",
    "enmc_2018_dm.antibody.anti_tif1g": "positive",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """``heliotrope serve`` on a free loopback port."""
    port = _free_port()
    command = [str(Path(sys.executable).parent / "heliotrope"), "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)], cwd=ROOT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # worker processes import everything; slow when busy
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    _stop(process)
    raise SystemExit("server did not start")


def _clicks(count: int, seed: int) -> list[dict[str, str]]:
    """A user's answers after each of ``count`` clicks: a random walk from the founding case,
    one row changed per click, so each update re-evaluates the criterion clicked (no reuse of
    a previous answer set except by chance)."""
    from heliotrope.web.calculator import sections

    rows = [row for section in sections() for row in section.rows if row.kind == "item"]
    rng = random.Random(seed)
    form = dict(FOUNDING_ANSWERS)
    out = []
    for _ in range(count):
        row = rng.choice(rows)
        form[row.name] = rng.choice([c for c, _ in row.choices])
        out.append(dict(form))
    return out


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its worker processes (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def calculator_round_trip(base: str, count: int) -> bool:
    times: list[float] = []
    with httpx.Client(base_url=base, timeout=10) as client:
        for _ in range(20):  # warm up
            client.post("/calculator/result", data=FOUNDING_ANSWERS)
        for form in _clicks(count, seed=1):
            start = time.perf_counter()
            response = client.post("/calculator/result", data=form)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and "Criteria classify" in response.text
    p50, p99 = statistics.median(times), _percentile(times, 99)
    ok = p99 < 50
    print(
        f"calculator round trip   n={count}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
        f"max {max(times):6.1f} ms   target p99 < 50 ms: {_verdict(ok)}"
    )
    return ok


def load_test(base: str, total: int, clients: int, ceiling: bool = False) -> bool:
    clicks = iter(_clicks(total, seed=2))
    plan: list[tuple[str, str, dict[str, str] | None]] = []
    for index in range(total):
        if ceiling:
            plan.append(("GET", "/healthz", None))
        elif index % 10 < 7:
            plan.append(("POST", "/calculator/result", next(clicks)))
        elif index % 10 < 9:
            plan.append(("GET", "/criteria/eular_acr_2017", None))
        else:
            plan.append(("GET", "/", None))
    shares = [plan[i::clients] for i in range(clients)]

    def run(share: list[tuple[str, str, dict[str, str] | None]]) -> tuple[int, int]:
        good = bad = 0
        with httpx.Client(base_url=base, timeout=10) as client:
            for method, path, form in share:
                try:
                    if method == "POST":
                        response = client.post(path, data=form)
                    else:
                        response = client.get(path)
                    good += response.status_code == 200
                    bad += response.status_code != 200
                except httpx.HTTPError:
                    bad += 1
        return good, bad

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        outcomes = list(pool.map(run, shares))
    elapsed = time.perf_counter() - start
    good = sum(g for g, _ in outcomes)
    errors = sum(b for _, b in outcomes)
    rate = total / elapsed
    ok = rate >= 200 and errors == 0
    if ceiling:
        print(
            f"harness ceiling         {total} × GET /healthz, {clients} clients: {rate:6.1f} "
            "req/s (what this client and machine can drive at all right now)"
        )
        return True
    print(
        f"load test               {total} requests, {clients} clients (70% calculator clicks, 20% "
        f"criteria page, 10% start page): {rate:6.1f} req/s, {good} ok, {errors} errors  "
        f"target ≥ 200 req/s, no errors: {_verdict(ok)}"
    )
    return ok


def report_page(base: str, count: int) -> bool:
    if not FOUNDING_TEXT.is_file():
        print(f"report page             skipped: {FOUNDING_TEXT} not found (../shared/)")
        return True
    data = FOUNDING_TEXT.read_bytes()
    times: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for index in range(count + 2):
            start = time.perf_counter()
            response = client.post(
                "/report", files={"file": ("case-report.web.txt", data, "text/plain")}
            )
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.status_code
            if index >= 2:  # the first two warm the readers' caches
                times.append(elapsed)
    median = statistics.median(times)
    ok = median < 300
    print(
        f"founding-case text report  n={count}  median {median:6.1f} ms  max {max(times):6.1f} "
        f"ms  ({len(response.content) // 1024} kB page)   target < 300 ms: {_verdict(ok)}"
    )
    return ok


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="load test size (bounded)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load-test clients")
    parser.add_argument("--round-trips", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="server processes (2 cores)")
    args = parser.parse_args()
    process, base = _start(args.workers)
    try:
        print(
            f"heliotrope web benchmark — heliotrope serve --workers {args.workers} at {base}; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        results = [
            calculator_round_trip(base, args.round_trips),
            load_test(base, min(args.requests, 20_000), args.clients, ceiling=True),
            load_test(base, min(args.requests, 20_000), args.clients),
            report_page(base, 10),
        ]
    finally:
        _stop(process)
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
