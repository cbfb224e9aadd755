"""What the chaos scenarios run against: the private PostgreSQL cluster started by bench/chaos/run (driven through
its pg_ctl wrapper), one database per scenario, the daemon binary, its config, and the small servers that stand in
for CM's send API and a media host. Every process started here is recorded in $MO_CHAOS_WORK/pids so the runner
can stop it by id if a scenario is cut off at its time bound.
"""
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from checker import sql  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set: run the scenarios through bench/chaos/run")
    return value


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def track(pid: int) -> None:
    with open(os.path.join(env("MO_CHAOS_WORK"), "pids"), "a") as f:
        f.write(f"{pid}\n")


class Cluster:
    """The runner's PostgreSQL cluster: stop, start and restart it, make databases."""

    def __init__(self):
        self.pgctl = env("MO_CHAOS_PGCTL")
        self.port = int(env("MO_CHAOS_PG_PORT"))

    def url(self, database: str = "postgres", port: int = None) -> str:
        return f"postgresql://postgres@127.0.0.1:{port or self.port}/{database}"

    def ctl(self, *args) -> float:
        """Runs pg_ctl (waiting for the outcome); returns the seconds it took."""
        started = time.monotonic()
        out = subprocess.run([self.pgctl, *args], capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {out.stdout}{out.stderr}")
        return time.monotonic() - started

    def ensure_running(self) -> None:
        if subprocess.run([self.pgctl, "status"], capture_output=True).returncode != 0:
            self.ctl("start")

    def create_database(self, name: str) -> str:
        self.ensure_running()
        sql(self.url(), f"DROP DATABASE IF EXISTS {name}")
        sql(self.url(), f"CREATE DATABASE {name}")
        return self.url(name)


def write_config(path: str, values: dict, extra: str = "") -> str:
    """config.example.toml with `values` ({"section.key": toml literal}) set, and `extra` TOML appended. The admin
    listener is off unless `values` sets it (several daemons run at once; its port would collide); completed jobs
    are kept an hour, so the checker can see every item's dispatch job."""
    values = {"admin.listen": '""', "queue.completed_retention_hours": "1", **values}
    with open(os.path.join(ROOT, "config.example.toml")) as f:
        lines = f.read().splitlines()
    section, seen, out = "", set(), []
    for line in lines:
        header = re.match(r"^\[\[?([a-z_]+)\]\]?\s*$", line)
        if header:
            section = header.group(1)
        key = re.match(r"^([a-z_]+) = ", line)
        name = f"{section}.{key.group(1)}" if key else None
        if name in values:
            line = f"{key.group(1)} = {values[name]}"
            seen.add(name)
        out.append(line)
    missing = set(values) - seen
    if missing:
        raise ValueError(f"config.example.toml has no {sorted(missing)}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n" + extra)
    return path


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Daemon:
    """One mo-receiver process (kill -9 and restart it as often as needed)."""

    def __init__(self, config: str, log: str, port: int):
        self.binary = os.path.join(env("MO_CHAOS_BIN"), "mo-receiver")
        self.config, self.log, self.port = config, log, port
        self.process = None
        self.starts = 0

    def start(self, timeout: float = 30) -> float:
        """Starts the daemon and waits until it answers /healthz; returns the seconds that took."""
        started = time.monotonic()
        log = open(self.log, "a")
        log.write(f"---- start {self.starts} ----\n")
        log.flush()
        self.process = subprocess.Popen([self.binary, "--config", self.config], stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL)
        log.close()
        track(self.process.pid)
        self.starts += 1
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"mo-receiver exited with {self.process.returncode} at start:\n{self.tail()}")
            if self.healthy():
                return time.monotonic() - started
            time.sleep(0.02)
        raise RuntimeError(f"mo-receiver did not answer /healthz within {timeout} s:\n{self.tail()}")

    def healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            connection.request("GET", "/healthz")
            ok = connection.getresponse().status == 200
            connection.close()
            return ok
        except (OSError, http.client.HTTPException):
            return False

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill9(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def terminate(self, timeout: float = 40) -> tuple:
        """SIGTERM; returns (exit code or None when it did not exit in time, seconds)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None, time.monotonic() - started
        return code, time.monotonic() - started

    def threads(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            return int(next(line.split()[1] for line in f if line.startswith("Threads:")))

    def stop(self) -> None:
        if self.alive():
            self.terminate(15)

    def tail(self, lines: int = 15) -> str:
        try:
            with open(self.log) as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


def migrate(config: str) -> None:
    out = subprocess.run([os.path.join(env("MO_CHAOS_BIN"), "moctl"), "migrate", "--config", config],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"moctl migrate failed: {out.stdout}{out.stderr}")


def moctl(config: str, *args) -> str:
    out = subprocess.run([os.path.join(env("MO_CHAOS_BIN"), "moctl"), *args, "--config", config],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"moctl {' '.join(args)} failed: {out.stdout}{out.stderr}")
    return out.stdout


class Background:
    """A helper process (fake CM gateway, media host), stopped by `stop`."""

    def __init__(self, argv, cwd=None):
        self.process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        stdin=subprocess.DEVNULL)
        track(self.process.pid)

    def wait_port(self, port: int, timeout: float = 10) -> None:
        import socket
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nothing listens on port {port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()


def eventually(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


def jobs_settled(url: str) -> dict:
    """Job states, and the jobs a dead worker left behind that nobody took back (lease long expired)."""
    states = dict(sql(url, "SELECT state::text, count(*) FROM jobs GROUP BY 1"))
    stuck = sql(url, "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_expires_at < now() - interval '5 s'")
    return {"states": {k: int(v) for k, v in states.items()}, "stuck": int(stuck[0][0])}


def wait_jobs_done(url: str, timeout: float) -> dict:
    """Waits until every job completed (work is at-least-once: what was acknowledged gets handled)."""
    eventually(lambda: set(jobs_settled(url)["states"]) <= {"completed"}, timeout, 0.25)
    return jobs_settled(url)


class Session:
    """One long-lived psql session: statements at a steady rhythm without a process start each time."""

    def __init__(self, url: str):
        from checker import psql_binary
        self.process = subprocess.Popen([psql_binary(), url, "-X", "-qAt"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        track(self.process.pid)

    def value(self, query: str) -> str:
        """The single value a one-row, one-column query returns."""
        self.process.stdin.write(query.rstrip(";") + ";\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def execute(self, statements: str) -> None:
        """Statements without a result (BEGIN, LOCK, COMMIT); returns once psql has run them."""
        self.value(statements.rstrip().rstrip(";") + "; SELECT 1")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(5)


class Repeater(threading.Thread):
    """Calls `action` every `interval` seconds until stopped."""

    def __init__(self, interval: float, action):
        super().__init__(daemon=True)
        self.interval, self.action = interval, action
        self.halt = threading.Event()
        self.calls = 0
        self.last = None

    def run(self):
        due = time.monotonic()
        while True:
            due += self.interval
            if self.halt.wait(max(0.0, due - time.monotonic())):
                return
            self.action()
            self.calls += 1
            self.last = time.monotonic()

    def stop(self):
        self.halt.set()
        self.join()
