"""Start and stop gunicorn for the HTTP benchmarks: the project's gunicorn.conf.py, production
settings (bench.settings: zelfscan.settings.production plus /bench/bare/), loopback only.

Used by bench/http_save.py and bench/journeys.py; can also be run alone to serve for a manual look:
    DATABASE_URL=... .venv/bin/python bench/server.py --port 8765 --seconds 60
"""

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_DIR, database_url  # noqa: E402

LOG = Path("/tmp/zelfscan-bench-gunicorn.log")  # noqa: S108 - a benchmark log on this machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime + stime of one process, from /proc (0 when it is gone); with children=True also the
    CPU of its children that exited and were waited for (cutime + cstime)."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def processes_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class Gunicorn:
    """gunicorn -c gunicorn.conf.py zelfscan.wsgi with DJANGO_SETTINGS_MODULE=bench.settings."""

    def __init__(self, port: int | None = None, workers: int | None = None, extra_env: dict | None = None):
        self.port = port or free_port()
        # The workers gunicorn.conf.py configures, unless a number is asked for: the benchmark
        # measures the project's configuration (it used to impose 2 x cores + 1 of its own).
        self.explicit_workers = workers is not None
        self.workers = workers or runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"]
        self.extra_env = extra_env or {}
        self.process = None

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url(),
            "ZELFSCAN_BIND": f"127.0.0.1:{self.port}",
            **({"ZELFSCAN_WORKERS": str(self.workers)} if self.explicit_workers else {}),
            **self.extra_env,
        }
        log = LOG.open("ab")
        log.write(f"--- start {time.strftime('%H:%M:%S')} port {self.port} {self.extra_env}\n".encode())
        log.flush()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "zelfscan.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {LOG}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    pass
                if len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start within 60 s; see {LOG}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        """CPU used so far by the master and its workers."""
        if self.process is None:
            return 0.0
        return sum(cpu_seconds(pid) for pid in [self.process.pid, *self.worker_pids()])

    def stop(self) -> None:
        """SIGTERM to the master this object started (graceful), SIGKILL to its own group if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def postgres_cpu_seconds() -> float:
    """CPU of PostgreSQL's processes on this machine: the live ones, plus the backends that already
    exited (a connection per request), which the postmaster (their parent) has waited for."""
    pids = set(processes_named("postgres"))
    total = 0.0
    for pid in pids:
        fields = _stat(pid)
        is_postmaster = fields is not None and int(fields[1]) not in pids
        total += cpu_seconds(pid, children=is_postmaster)
    return total


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores (/proc/stat): the
    share of the machine a measurement had, and how much went to processes other than ours."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal
    return (total - idle) / ticks, total / ticks


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=int, default=60, help="serve this long, then stop (bounded)")
    args = parser.parse_args()
    with Gunicorn(port=args.port) as server:
        print(f"gunicorn on http://127.0.0.1:{server.port}/ (send X-Forwarded-Proto: https) for {args.seconds} s")
        time.sleep(args.seconds)
