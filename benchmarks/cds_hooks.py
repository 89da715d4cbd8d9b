"""CDS Hooks benchmark: ``patient-view`` latency with full prefetch (warm, loopback) and a
bounded local load test, against a uvicorn this script starts on 127.0.0.1.

Targets (issue 9): p99 < 50 ms for a call with full prefetch; >= 200 requests/s on 2 cores
with no errors. Three modes: *repeat* (the same chart opened again: the result cache answers),
*changed* (one resource differs each time: read and assessed again; unchanged resources are not
re-validated) and *cold* (every resource new: full R4B validation, reading and assessment).
The machine's load average is printed: figures on a busy machine are not the service's.

    .venv/bin/python benchmarks/cds_hooks.py [--seconds 8] [--concurrency 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEARCH = {
    "conditions": "Condition",
    "observations": "Observation",
    "procedures": "Procedure",
    "reports": "DiagnosticReport",
    "medications": "MedicationStatement",
    "administrations": "MedicationAdministration",
}
SERVICES = (
    "heliotrope-classification",
    "heliotrope-cancer-associated-myositis",
    "heliotrope-restaging-alert",
)


def make_app() -> Any:
    """The app uvicorn serves here: the CDS Hooks router on its own FastAPI."""
    from fastapi import FastAPI

    from heliotrope.interop.cds_hooks.routes import router

    app = FastAPI()
    app.include_router(router)
    return app


def request_body(case: str, variant: int | None = None, *, cold: bool = False) -> dict[str, Any]:
    """A patient-view request with every prefetch key filled from ``examples/<case>.fhir.json``.

    ``variant`` makes the request unique (the Patient's ``meta.versionId``), so the result cache
    cannot answer it: the chart reopened after one change. ``cold`` also stamps every resource,
    so nothing has been validated before either."""
    bundle = json.loads((ROOT / "examples" / f"{case}.fhir.json").read_text(encoding="utf-8"))
    if cold and variant is not None:
        for entry in bundle["entry"]:
            entry["resource"]["meta"] = {"versionId": str(variant)}
    patient_entry = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    patient = dict(patient_entry["resource"])
    if variant is not None:
        patient["meta"] = {"versionId": str(variant)}
    prefetch: dict[str, Any] = {"patient": patient}
    for key, kind in SEARCH.items():
        matches = [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
        include = {
            "fullUrl": patient_entry["fullUrl"],
            "resource": patient,
            "search": {"mode": "include"},
        }
        prefetch[key] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [*matches, include],
        }
    return {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/bench", "patientId": patient["id"]},
        "prefetch": prefetch,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "cds_hooks:make_app",
        "--factory",
        "--app-dir",
        str(Path(__file__).parent),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/cds-services", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not start within 60 s")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def latency(base: str, service: str, bodies: list[bytes], warmup: int = 20) -> list[float]:
    """Milliseconds per call, one client, keep-alive connection."""
    out = []
    with httpx.Client(timeout=30, headers={"content-type": "application/json"}) as client:
        for body in bodies[:warmup]:
            client.post(f"{base}/cds-services/{service}", content=body)
        for body in bodies[warmup:]:
            start = time.perf_counter()
            response = client.post(f"{base}/cds-services/{service}", content=body)
            out.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{service}: HTTP {response.status_code}")
    return out


def load(
    base: str, bodies: list[bytes], seconds: float, concurrency: int
) -> tuple[int, int, float]:
    """(ok, errors, elapsed) for ``concurrency`` keep-alive clients cycling the three services
    (``http.client``: a light client, so the load generator does not starve the server)."""
    ok = errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    host, port = base.removeprefix("http://").split(":")

    def worker(offset: int) -> None:
        nonlocal ok, errors
        index = offset
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Content-Type": "application/json"}
        while time.monotonic() < stop:
            service = SERVICES[index % len(SERVICES)]
            body = bodies[index % len(bodies)]
            index += concurrency
            try:
                connection.request("POST", f"/cds-services/{service}", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                good = response.status == 200
            except (OSError, http.client.HTTPException):
                good = False
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
            with lock:
                ok, errors = (ok + 1, errors) if good else (ok, errors + 1)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ok, errors, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="load test duration")
    parser.add_argument("--concurrency", type=int, default=8, help="load test clients")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--calls", type=int, default=200, help="latency calls per service")
    args = parser.parse_args(sys.argv[1:] if __name__ == "__main__" else [])
    process, base = start_server(args.workers)
    try:
        print(f"CDS Hooks benchmark — uvicorn on {base}, {args.workers} workers, founding case")
        print(f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        print(f"{'service':40} {'mode':8} {'p50 ms':>8} {'p99 ms':>8}")
        repeat = json.dumps(request_body("founding-case")).encode()
        for service in SERVICES:
            for mode in ("repeat", "changed", "cold"):
                n = args.calls + 20
                bodies = (
                    [repeat] * n
                    if mode == "repeat"
                    else [
                        json.dumps(request_body("founding-case", i, cold=mode == "cold")).encode()
                        for i in range(n)
                    ]
                )
                times = latency(base, service, bodies)
                print(
                    f"{service:40} {mode:8} {statistics.median(times):8.1f} "
                    f"{_percentile(times, 0.99):8.1f}"
                )
        for mode in ("repeat", "changed"):
            count = 1 if mode == "repeat" else 600
            bodies = [
                json.dumps(request_body("founding-case", None if mode == "repeat" else i)).encode()
                for i in range(count)
            ]
            ok, errors, elapsed = load(base, bodies, args.seconds, args.concurrency)
            print(
                f"load {mode:6}: {ok} ok, {errors} errors in {elapsed:.1f} s = "
                f"{ok / elapsed:.0f} requests/s ({args.concurrency} clients)"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
