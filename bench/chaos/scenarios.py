#!/usr/bin/env python3
"""The fault scenarios. Each one runs against its own database on the runner's cluster, injects its fault under
load, and ends with the same reckoning: CM's retry (every payload that got no 200 is sent again, as CM would) and
the checker (checker.py) over everything sent. It appends one JSON result line and exits 0 when every invariant
held, 1 when one was violated, 77 when it cannot run here (said loudly, never a silent pass).

    bench/chaos/scenarios.py NAME [--long] --result FILE      (run through bench/chaos/run, which sets the scene)

Invariants (docs/reliability.md): no acknowledged-but-lost payload, one row per payload, no quarantined valid
payload, every stored row with its normalized rows and its route job, every job done in the end (none stuck with an
expired lease, none discarded), and each scenario's own (503 within the deadline, recovery without restart, ...).
"""
import argparse
import json
import os
import random
import signal
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(__file__))
import checker  # noqa: E402
from harness import (ROOT, Background, Cluster, Daemon, Repeater, Session, env, eventually, free_port,  # noqa: E402
                     migrate, moctl, toml_string, wait_jobs_done, write_config)
from loadgen import LoadGen, resend  # noqa: E402
from payloads import Forms, PayloadSource  # noqa: E402
from relay import Relay  # noqa: E402

# What the daemon promises, as the scenarios measure it at the client (a Python client on a busy 2-core machine
# adds its own delay, hence the slack over the 2 s contract of docs/reliability.md).
ANSWER_DEADLINE = 2.5  # a 503 while PostgreSQL is unavailable arrives within this many seconds
RECOVERY_LIMIT = 5.0  # 200 again within this many seconds of PostgreSQL being back


class Skip(Exception):
    pass


class Context:
    def __init__(self, name: str, long: bool, seed: int):
        self.name, self.long = name, long
        self.rng = random.Random(seed)
        self.cluster = Cluster()
        self.dir = os.path.join(env("MO_CHAOS_WORK"), name)
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o711)
        self.db = self.cluster.create_database("chaos_" + name.replace("-", "_"))
        self.port = free_port()
        self.daemons = []
        self.cleanups = []
        self.result = dict(scenario=name, mode="long" if long else "short", seed=seed, runs=0, requests=0, ok=0,
                           acked_lost=0, duplicates=0, stored_anyway=0, recovery=None, notes=[], violations=[])

    # -- setup -------------------------------------------------------------------------------------------------
    def config(self, values: dict = None, extra: str = "", name: str = "daemon", database_url: str = None) -> str:
        settings = {
            "http.listen": toml_string(f"127.0.0.1:{self.port}"),
            "trust.trusted_proxies": '["127.0.0.1/32"]',
            "trust.client_ip_header": '"x-forwarded-for"',
            "database.url": toml_string(database_url or self.db),
            "log.format": '"text"',
            "media.directory": toml_string(os.path.join(self.dir, "media")),
            # A killed daemon's jobs come back after 3 s instead of a minute.
            "queue.lease_seconds": "3",
        }
        settings.update(values or {})
        return write_config(os.path.join(self.dir, f"{name}.toml"), settings, extra)

    def daemon(self, config: str) -> Daemon:
        daemon = Daemon(config, os.path.join(self.dir, "daemon.log"), self.port)
        self.daemons.append(daemon)
        return daemon

    # -- bookkeeping -------------------------------------------------------------------------------------------
    def expect(self, condition: bool, message: str) -> bool:
        if not condition:
            self.result["violations"].append(message)
            print(f"  VIOLATED: {message}", flush=True)
        return condition

    def note(self, text: str) -> None:
        self.result["notes"].append(text)
        print(f"  {text}", flush=True)

    def recovered(self, seconds) -> None:
        if seconds is not None:
            self.result["recovery"] = max(self.result["recovery"] or 0, seconds)

    # -- the common reckoning ----------------------------------------------------------------------------------
    def settle(self, attempts: list, jobs_timeout: float = 60) -> list:
        """CM's retry of everything without a 200, then the checker and the queue."""
        acked = {a.payload.sha256 for a in attempts if a.status == 200}
        unacked = {a.payload.sha256: a.payload for a in attempts if a.status != 200 and a.payload.sha256 not in acked}
        if unacked:
            retry = resend(self.port, unacked.values())
            failed = [a for a in retry if a.status != 200]
            self.expect(not failed, f"{len(failed)} of {len(retry)} retries after the fault got no 200 "
                                    f"(first: {failed[0].status} {failed[0].result})" if failed else "")
            attempts = attempts + retry
        result = checker.check(self.db, checker.from_attempts(attempts))
        self.result["requests"] += result["attempts"]
        self.result["ok"] += result["status_200"]
        self.result["acked_lost"] += result["acked_lost"]
        self.result["duplicates"] += result["duplicate_rows"]
        self.result["stored_anyway"] += result["stored_anyway"]
        for violation in checker.violations(result):
            self.expect(False, violation)
        self.expect(result["unacked_missing"] == 0,
                    f"{result['unacked_missing']} payloads are missing even after CM's retry "
                    f"(e.g. {result['examples'].get('unacked_missing')})")
        drain = time.monotonic()
        jobs = wait_jobs_done(self.db, jobs_timeout)
        drain = time.monotonic() - drain
        retried = checker.sql(self.db, "SELECT count(*) FILTER (WHERE attempt > 1), coalesce(max(attempt), 0) FROM jobs")[0]
        self.note(f"queue: {sum(jobs['states'].values())} jobs, all done {drain:.1f} s after the load; "
                  f"{retried[0]} ran more than once (most attempts: {retried[1]})")
        self.expect(jobs["stuck"] == 0, f"{jobs['stuck']} jobs still running long after their lease expired")
        self.expect(not jobs["states"].get("discarded"), f"{jobs['states'].get('discarded')} jobs discarded")
        waiting = sum(v for k, v in jobs["states"].items() if k != "completed")
        if waiting:
            self.note(f"{waiting} jobs not completed yet after {jobs_timeout:.0f} s: {jobs['states']}")
        self.result["jobs"] = jobs["states"]
        return attempts

    def stop(self, daemon: Daemon) -> None:
        code, seconds = daemon.terminate()
        self.expect(code == 0, f"mo-receiver exited with {code} on SIGTERM after {seconds:.1f} s")


def load(ctx: Context, run: str, concurrency: int = 16, rate: float = None, **source) -> tuple:
    """Starts unbounded load in the background; returns (generator, stop event, thread)."""
    generator = LoadGen(ctx.port, PayloadSource(run, **source), concurrency, rate=rate)
    stop = threading.Event()
    return generator, stop, generator.start(stop)


def first_ok_after(attempts: list, moment: float):
    """Seconds from `moment` to the first 200 of a request sent after it (None: none came)."""
    times = [a.finished for a in attempts if a.status == 200 and a.started >= moment]
    return min(times) - moment if times else None


def answers_between(attempts: list, start: float, end: float) -> list:
    return [a for a in attempts if a.started >= start and a.finished <= end]


def outage_checks(ctx: Context, attempts: list, fault: float, down: float, up: float, what: str) -> None:
    """While the database is unavailable (from `down`, when the fault is complete): only 503s, each within the
    deadline; `fault` is when the fault began (for the time to the first 503)."""
    during = answers_between(attempts, down + 0.1, up)
    codes = sorted({a.status for a in during if a.status != 503}, key=str)
    ctx.expect(not codes, f"during {what}: answers other than 503: {codes}")
    unavailable = [a for a in during if a.status == 503]
    ctx.expect(len(unavailable) > 0, f"no 503 during {what}: the fault was not exercised")
    slowest = max((a.seconds for a in attempts if a.status == 503), default=0)
    ctx.expect(slowest <= ANSWER_DEADLINE, f"a 503 took {slowest:.2f} s (limit {ANSWER_DEADLINE} s)")
    first = min((a.finished for a in attempts if a.status == 503 and a.finished >= fault), default=None)
    ctx.note(f"{what}: {len(unavailable)} x 503, first {first - fault:.2f} s after the fault, slowest answer "
             f"{slowest:.2f} s" if first else f"{what}: no 503")


# ---------------------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------------------

def kill9(ctx: Context) -> None:
    """kill -9 of the daemon at a random moment under load, repeated; a fresh daemon takes over each time."""
    runs = int(os.environ.get("MO_CHAOS_KILL_RUNS", 30 if ctx.long else 10))
    config = ctx.config()
    migrate(config)
    daemon = ctx.daemon(config)
    attempts, in_flight = [], 0
    for run in range(runs):
        started = daemon.start()
        if run:
            ctx.recovered(started)
        generator, stop, thread = load(ctx, f"k{run}", rate=800)
        time.sleep(ctx.rng.uniform(0.3, 1.3))
        killed = time.monotonic()
        daemon.kill9()
        stop.set()
        thread.join()
        in_flight += sum(1 for a in generator.attempts if a.status is None and a.started < killed)
        attempts += generator.attempts
        ctx.result["runs"] += 1
    ctx.note(f"{in_flight} requests cut in flight by the kills")
    daemon.start()
    ctx.settle(attempts)
    ctx.stop(daemon)


def pg_immediate(ctx: Context) -> None:
    """PostgreSQL crashes (immediate stop, WAL recovery at start) under load and comes back."""
    outage = 20 if ctx.long else 4
    runs = 3 if ctx.long else 1
    config = ctx.config()
    migrate(config)
    daemon = ctx.daemon(config)
    daemon.start()
    generator, stop, thread = load(ctx, "pgi", rate=200)
    time.sleep(1.0)
    windows = []
    for _ in range(runs):
        fault = time.monotonic()
        ctx.cluster.ctl("stop", "-m", "immediate")
        down = time.monotonic()
        time.sleep(outage)
        restarting = time.monotonic()  # the outage ends here: PostgreSQL accepts connections before pg_ctl returns
        ctx.cluster.ctl("start")
        windows.append((fault, down, restarting, time.monotonic()))
        time.sleep(2.5)
        ctx.result["runs"] += 1
    stop.set()
    thread.join()
    attempts = generator.attempts
    ctx.expect(daemon.alive(), "the daemon died")
    ctx.expect(not any(a.status is None for a in attempts), f"{sum(a.status is None for a in attempts)} requests cut")
    for fault, down, restarting, up in windows:
        outage_checks(ctx, attempts, fault, down, restarting, f"{outage} s outage")
        recovery = first_ok_after(attempts, up)
        ctx.expect(recovery is not None and recovery <= RECOVERY_LIMIT,
                   f"no 200 within {RECOVERY_LIMIT} s of PostgreSQL's return ({recovery})")
        ctx.recovered(recovery)
    ctx.settle(attempts)
    ctx.stop(daemon)


def pg_fast(ctx: Context) -> None:
    """PostgreSQL restarted cleanly (fast: every session terminated with 57P01) under load."""
    runs = 5 if ctx.long else 2
    config = ctx.config()
    migrate(config)
    daemon = ctx.daemon(config)
    daemon.start()
    generator, stop, thread = load(ctx, "pgf", rate=300)
    time.sleep(1.0)
    restarted = []  # when each restart had returned
    for _ in range(runs):
        ctx.cluster.ctl("restart", "-m", "fast")
        restarted.append(time.monotonic())
        time.sleep(3)
        ctx.result["runs"] += 1
    stop.set()
    thread.join()
    attempts = generator.attempts
    ctx.expect(daemon.alive(), "the daemon died")
    ctx.expect(not any(a.status is None for a in attempts), f"{sum(a.status is None for a in attempts)} requests cut")
    other = sorted({a.status for a in attempts if a.status not in (200, 503, None)})
    ctx.expect(not other, f"answers other than 200/503: {other}")
    ctx.note(f"{sum(a.status == 503 for a in attempts)} x 503 over {runs} restarts")
    for up in restarted:
        recovery = first_ok_after(attempts, up)
        ctx.expect(recovery is not None and recovery <= RECOVERY_LIMIT,
                   f"no 200 within {RECOVERY_LIMIT} s of the restart ({recovery})")
        ctx.recovered(recovery)
    ctx.settle(attempts)
    ctx.stop(daemon)


def terminate(ctx: Context) -> None:
    """pg_terminate_backend of every daemon connection every 200 ms under load: commits whose answer is lost."""
    duration = 30 if ctx.long else 5
    config = ctx.config()
    migrate(config)
    daemon = ctx.daemon(config)
    daemon.start()
    terminated = [0]
    session = Session(ctx.cluster.url())
    ctx.cleanups.append(session.close)

    def kill_backends():
        terminated[0] += int(session.value("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                                           "FROM pg_stat_activity WHERE application_name = 'mo-receiver'"))

    generator, stop, thread = load(ctx, "term", rate=400)
    time.sleep(1.0)
    killer = Repeater(0.2, kill_backends)
    killer.start()
    time.sleep(duration)
    killer.stop()
    last = killer.last or time.monotonic()
    time.sleep(2.0)
    stop.set()
    thread.join()
    attempts = generator.attempts
    ctx.result["runs"] = killer.calls
    ctx.expect(daemon.alive(), "the daemon died")
    ctx.expect(not any(a.status is None for a in attempts), f"{sum(a.status is None for a in attempts)} requests cut")
    other = sorted({a.status for a in attempts if a.status not in (200, 503, None)})
    ctx.expect(not other, f"answers other than 200/503: {other}")
    slowest = max((a.seconds for a in attempts), default=0)
    ctx.expect(slowest <= ANSWER_DEADLINE, f"an answer took {slowest:.2f} s (limit {ANSWER_DEADLINE} s)")
    ctx.expect(terminated[0] > 0, "no backend was terminated: the fault was not exercised")
    ctx.note(f"{terminated[0]} backends terminated in {killer.calls} rounds; "
             f"{sum(a.status == 503 for a in attempts)} x 503; slowest answer {slowest:.2f} s")
    recovery = first_ok_after(attempts, last)
    ctx.expect(recovery is not None and recovery <= RECOVERY_LIMIT, f"no 200 after the last termination ({recovery})")
    ctx.recovered(recovery)
    ctx.settle(attempts)
    ctx.stop(daemon)


def stall(ctx: Context) -> None:
    """A silent network partition to PostgreSQL (a relay that stops forwarding, sockets open) under load."""
    outage = 20 if ctx.long else 5
    relay = Relay(ctx.cluster.port).start()
    ctx.cleanups.append(relay.close)
    database = ctx.db.rsplit("/", 1)[1]
    config = ctx.config(database_url=ctx.cluster.url(database, port=relay.port))
    migrate(ctx.config(name="migrate"))
    daemon = ctx.daemon(config)
    daemon.start()
    generator, stop, thread = load(ctx, "stall", rate=200)
    time.sleep(1.5)
    threads_before = daemon.threads()
    down = time.monotonic()
    relay.stall()
    time.sleep(outage)
    threads_during = daemon.threads()
    up = time.monotonic()
    relay.heal()
    time.sleep(5)
    threads_after = daemon.threads()
    stop.set()
    thread.join()
    attempts = generator.attempts
    ctx.result["runs"] = 1
    ctx.expect(daemon.alive(), "the daemon died")
    ctx.expect(not any(a.status is None for a in attempts), f"{sum(a.status is None for a in attempts)} requests cut")
    outage_checks(ctx, attempts, down, down, up, f"{outage} s stall")
    ctx.note(f"daemon threads before/during/after: {threads_before}/{threads_during}/{threads_after}")
    ctx.expect(threads_during <= threads_before + 16, f"threads piled up: {threads_before} -> {threads_during}")
    recovery = first_ok_after(attempts, up)
    ctx.expect(recovery is not None and recovery <= RECOVERY_LIMIT,
               f"no 200 within {RECOVERY_LIMIT} s of the network healing ({recovery})")
    ctx.recovered(recovery)
    ctx.settle(attempts)
    ctx.stop(daemon)


def hung_connection(ctx: Context) -> None:
    """The database connections the daemon holds go silent for good while new connections work (a hung backend,
    or a failover behind a TCP proxy that keeps the old client sockets open). No TCP timeout can fire: the relay's
    kernel acknowledges everything. The daemon must answer 503 within the deadline, and serve 200 again by itself
    on a new connection."""
    limit = 15.0
    relay = Relay(ctx.cluster.port).start()
    ctx.cleanups.append(relay.close)
    database = ctx.db.rsplit("/", 1)[1]
    config = ctx.config(database_url=ctx.cluster.url(database, port=relay.port))
    migrate(ctx.config(name="migrate"))
    daemon = ctx.daemon(config)
    daemon.start()
    generator, stop, thread = load(ctx, "hung", rate=200)
    time.sleep(1.5)
    severed = time.monotonic()
    relay.sever()
    recovered = eventually(lambda: any(a.status == 200 and a.started > severed + 0.5 for a in list(generator.attempts)),
                           limit + 1, 0.2)
    time.sleep(1.0)
    stop.set()
    thread.join()
    attempts = generator.attempts
    ctx.result["runs"] = 1
    ctx.expect(daemon.alive(), "the daemon died")
    ctx.expect(not any(a.status is None for a in attempts), f"{sum(a.status is None for a in attempts)} requests cut")
    ctx.expect(any(a.status == 503 for a in attempts),
               "no 503 while the old connections were silent: the fault was not exercised")
    slowest = max((a.seconds for a in attempts if a.status == 503), default=0)
    ctx.expect(slowest <= ANSWER_DEADLINE, f"a 503 took {slowest:.2f} s (limit {ANSWER_DEADLINE} s)")
    recovery = first_ok_after(attempts, severed + 0.5)
    ctx.note(f"{sum(a.status == 503 for a in attempts)} x 503 after the old connections went silent; "
             f"200 again after {recovery:.2f} s" if recovery is not None else
             f"{sum(a.status == 503 for a in attempts)} x 503; no 200 within {limit + 1:.0f} s on a new connection")
    ctx.expect(recovered and recovery is not None and recovery <= limit,
               f"no 200 within {limit:.0f} s after the daemon's connections went silent ({recovery})")
    ctx.recovered(recovery)
    if not recovered:
        daemon.kill9()  # it cannot settle: restart it (the scenario has failed already)
        relay.close()
        daemon = ctx.daemon(ctx.config(name="direct"))
        daemon.start()
    ctx.settle(attempts)
    ctx.stop(daemon)


def sigterm(ctx: Context) -> None:
    """SIGTERM under load: requests in flight are committed and answered 200, the daemon exits 0 well within
    systemd's stop timeout. To have requests surely in flight at the signal, a session holds a lock that blocks
    ingest's INSERT from 0.5 s before it to 0.3 s after (requests wait in the writer, as behind a slow commit)."""
    runs = 10 if ctx.long else 3
    config = ctx.config()
    migrate(config)
    daemon = ctx.daemon(config)
    session = Session(ctx.db)
    ctx.cleanups.append(session.close)
    attempts = []
    for run in range(runs):
        daemon.start()
        generator, stop, thread = load(ctx, f"t{run}", rate=400)
        time.sleep(ctx.rng.uniform(0.3, 1.0))
        session.execute("BEGIN; LOCK TABLE webhook_requests IN SHARE ROW EXCLUSIVE MODE")
        time.sleep(0.5)
        signalled = time.monotonic()
        daemon.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        session.execute("COMMIT")
        code, _ = daemon.terminate()  # already signalled: a second SIGTERM is harmless; waits for the exit
        seconds = time.monotonic() - signalled
        stop.set()
        thread.join()
        ctx.expect(code == 0, f"run {run}: exit {code} after SIGTERM")
        ctx.expect(seconds <= 30, f"run {run}: took {seconds:.1f} s to stop (TimeoutStopSec=30)")
        ctx.recovered(seconds)
        # Sent at least 300 ms before the signal (a generous margin on a busy machine) and not answered by then: the
        # daemon had them in hand, waiting behind the lock.
        in_flight = [a for a in generator.attempts if a.started < signalled - 0.3 and a.finished > signalled]
        bad = [a for a in in_flight if a.status != 200]
        ctx.expect(len(in_flight) > 0, f"run {run}: no request was in flight at SIGTERM: the drain was not exercised")
        ctx.expect(not bad, f"run {run}: {len(bad)} of {len(in_flight)} requests in flight at SIGTERM got "
                            f"{sorted({str(a.status or a.result) for a in bad})} (sent/answered at "
                            f"{', '.join(f'{a.started - signalled:+.2f}/{a.finished - signalled:+.2f}' for a in bad[:6])}"
                            f" s from the signal; reused connection: {[a.connection_reused for a in bad[:6]]})"
                   if bad else "")
        ctx.note(f"run {run}: {len(in_flight)} requests in flight at SIGTERM, {len(in_flight) - len(bad)} answered "
                 f"200; exit {code} {seconds:.2f} s after the signal")
        attempts += generator.attempts
        ctx.result["runs"] += 1
    daemon.start()
    ctx.settle(attempts)
    ctx.stop(daemon)


def storm(ctx: Context) -> None:
    """The same body 200 times at once (a CM retry storm): one row, 200 x 200, seen_count 200."""
    rounds = 20 if ctx.long else 3
    copies = 200
    config = ctx.config()
    migrate(config)
    daemon = ctx.daemon(config)
    daemon.start()
    forms = Forms()
    attempts = []
    for run in range(rounds):
        payload = forms.make(f"storm{run}", run, forms.index_of("mo/whatsapp-text.json"))
        generator = LoadGen(ctx.port, None, 1, keep_alive=False)
        barrier = threading.Barrier(copies)
        got = []
        lock = threading.Lock()

        def one():
            barrier.wait()
            attempt, _ = generator.send(payload)
            with lock:
                got.append(attempt)

        threads = [threading.Thread(target=one) for _ in range(copies)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bad = [a for a in got if a.status != 200]
        ctx.expect(not bad, f"round {run}: {len(bad)} of {copies} identical requests got no 200 "
                            f"({bad[0].status} {bad[0].result})" if bad else "")
        stored = sum(1 for a in got if a.result == "stored")
        ctx.expect(stored == 1, f"round {run}: {stored} answers said 'stored' (exactly one expected)")
        ctx.expect(len({a.reply_id for a in got}) == 1, f"round {run}: answers name different ids")
        attempts += got
        ctx.result["runs"] += 1
    # The checker must see a loss when there is one: hide one stored body from it, check, and put it back.
    checker.sql(ctx.db, "UPDATE webhook_requests SET body_sha256 = sha256(body_sha256) WHERE id = (SELECT min(id) FROM webhook_requests)")
    blind = checker.check(ctx.db, checker.from_attempts(attempts))
    checker.sql(ctx.db, "UPDATE webhook_requests SET body_sha256 = sha256(body) WHERE id = (SELECT min(id) FROM webhook_requests)")
    ctx.expect(blind["acked_lost"] == 1 and blind["unexpected_rows"] == 1,
               f"the checker did not notice a missing acknowledged row: {blind}")
    ctx.settle(attempts)
    ctx.stop(daemon)


def worker_kill(ctx: Context) -> None:
    """kill -9 while handlers run: an exec job in the middle of its work, auto-replies in the middle of sending.
    The killed jobs run again once their lease expires; a reply whose answer from CM was recorded is never sent
    again; the only second send is of a reply whose answer was not recorded yet (the documented window)."""
    runs = 5 if ctx.long else 2
    messages = 16
    gateway_port = free_port()
    gateway_log = os.path.join(ctx.dir, "gateway.log")
    open(gateway_log, "w").close()
    gateway = Background([sys.executable, os.path.join(ROOT, "bench", "fake_cm.py"), str(gateway_port), gateway_log,
                          "150"])
    ctx.cleanups.append(gateway.stop)
    gateway.wait_port(gateway_port)
    token = os.path.join(ctx.dir, "cm-token")
    with open(token, "w") as f:
        f.write("chaos-token")
    os.chmod(token, 0o600)
    marker = os.path.join(ctx.dir, "exec-runs.log")
    open(marker, "w").close()
    os.chmod(marker, 0o666)
    extra = f"""
[[handlers]]
name = "slow"
type = "exec"
command = ["/bin/sh", "-c", "echo \\"$MO_JOB_ID $MO_ATTEMPT\\" >> {marker}; sleep 1"]

[[handlers]]
name = "auto"
type = "auto_reply"
default_reply = "Thanks, we will get back to you."
min_interval_seconds = 0
max_per_day = 1000
max_per_conversation = 1000

[[routes]]
name = "replies"
kinds = ["mo"]
handlers = ["slow", "auto"]
"""
    config = ctx.config({
        "cm.send_url": toml_string(f"http://127.0.0.1:{gateway_port}/v1.0/message"),
        "cm.allow_http": "true",
        "cm.product_token_file": toml_string(token),
    }, extra)
    migrate(config)
    daemon = ctx.daemon(config)
    attempts, rerun, kept, intents = [], [], 0, 0

    def gateway_sends() -> dict:
        sent = {}
        with open(gateway_log) as f:
            for line in f:
                sent[line.split()[0]] = sent.get(line.split()[0], 0) + 1
        return sent

    for run in range(runs):
        daemon.start()
        before = int(checker.sql(ctx.db, "SELECT count(*) FROM outbound_messages")[0][0])
        generator = LoadGen(ctx.port, PayloadSource(f"w{run}", messages, form="mo/sms-reply.json",
                                                    start=run * messages), 4)
        attempts += generator.run()
        # Kill once the exec handler is running and this run's replies are being sent, at a random moment after.
        busy = eventually(lambda: int(checker.sql(ctx.db, """
            SELECT count(*) FROM jobs WHERE state = 'running' AND args->>'handler' = 'slow'""")[0][0]) > 0
                          and int(checker.sql(ctx.db, "SELECT count(*) FROM outbound_messages")[0][0]) > before,
                          10, 0.02)
        ctx.expect(busy, f"run {run}: handlers never got busy (no running exec job and no reply intent)")
        time.sleep(ctx.rng.uniform(0, 0.3))
        daemon.kill9()
        running = checker.sql(ctx.db, "SELECT id, coalesce(args->>'handler', kind) FROM jobs WHERE state = 'running'")
        at_kill = dict(checker.sql(ctx.db, "SELECT reference, send_state FROM outbound_messages"))
        sent_at_kill = gateway_sends()
        rerun += [int(job_id) for job_id, _ in running]
        kept += sum(1 for state in at_kill.values() if state != "intent")
        intents += sum(1 for state in at_kill.values() if state == "intent")
        held = {}
        for _, handler in running:
            held[handler] = held.get(handler, 0) + 1
        ctx.note(f"run {run}: killed holding {len(running)} jobs {held} (claimed in batches); replies at the "
                 f"kill: {sum(s != 'intent' for s in at_kill.values())} answered, "
                 f"{sum(s == 'intent' for s in at_kill.values())} intent")
        daemon.start()
        jobs = wait_jobs_done(ctx.db, 30)
        ctx.expect(set(jobs["states"]) <= {"completed"}, f"run {run}: jobs not done after the restart: {jobs}")
        sent = gateway_sends()
        for reference, state in at_kill.items():
            if state != "intent":
                again = sent.get(reference, 0) - sent_at_kill.get(reference, 0)
                ctx.expect(again == 0, f"run {run}: reply {reference} was sent {again} more times after the kill "
                                       f"although CM's answer ({state}) was recorded before it")
        daemon.stop()
        ctx.result["runs"] += 1
    # Every killed job ran again and finished; every message got exactly one decision and one accepted reply.
    rows = checker.sql(ctx.db, f"SELECT id, attempt, state::text FROM jobs WHERE id IN ({','.join(map(str, rerun)) or 0})")
    again = [r for r in rows if int(r[1]) >= 2 and r[2] == "completed"]
    ctx.expect(len(again) == len(rerun), f"killed jobs not run again: {[r for r in rows if r not in again]}")
    runs_logged = {}
    with open(marker) as f:
        for line in f:
            job_id, attempt = line.split()
            runs_logged.setdefault(int(job_id), set()).add(int(attempt))
    total = runs * messages
    decisions = checker.sql(ctx.db, "SELECT decision, count(*) FROM auto_replies GROUP BY 1")
    ctx.expect(dict(decisions) == {"reply": str(total)}, f"auto-reply decisions {decisions}, expected {total} replies")
    states = dict(checker.sql(ctx.db, "SELECT send_state, count(*) FROM outbound_messages GROUP BY 1"))
    ctx.expect(states == {"accepted": str(total)}, f"outbound states {states}, expected {total} accepted")
    sent = gateway_sends()
    references = [r[0] for r in checker.sql(ctx.db, "SELECT reference FROM outbound_messages")]
    ctx.expect(all(sent.get(r, 0) >= 1 for r in references), "a reply never reached the gateway")
    window = sum(sent.get(r, 0) - 1 for r in references if sent.get(r, 0) > 1)
    ctx.expect(window <= intents, f"{window} second sends, but only {intents} replies were unanswered intents at "
                                  f"the kills (the only window for a second send)")
    ctx.expect(len(runs_logged) == total, f"the exec handler ran for {len(runs_logged)} of {total} messages")
    ctx.note(f"{len(rerun)} jobs killed mid-run all ran again (attempt >= 2); {kept} replies answered before a kill "
             f"were not sent again; {window} second sends of replies cut off mid-send (the documented window)")
    ctx.result["duplicate_sends"] = window
    daemon.start()
    ctx.settle(attempts)
    ctx.stop(daemon)


def media_full(ctx: Context) -> None:
    """The media disk fills up: the download fails without a partial file, the item waits, ingest carries on, and
    once space is freed the file is stored."""
    if os.geteuid() != 0:
        raise Skip("needs root to mount a small tmpfs as the media directory")
    import subprocess
    media = os.path.join(ctx.dir, "media")
    os.makedirs(media, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", media],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        raise Skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    ctx.cleanups.append(lambda: subprocess.run(["umount", "-l", media], capture_output=True))
    files = os.path.join(ctx.dir, "files")
    os.makedirs(files, exist_ok=True)
    size = 3 << 20
    with open(os.path.join(files, "big.jpg"), "wb") as f:
        f.write(b"\xff\xd8\xff\xe0" + os.urandom(size - 4))
    media_port = free_port()
    server = Background([sys.executable, "-m", "http.server", str(media_port), "--bind", "127.0.0.1"], cwd=files)
    ctx.cleanups.append(server.stop)
    server.wait_port(media_port)
    config = ctx.config({
        "media.allowed_hosts": '["127.0.0.1"]',
        "media.allow_http_for_tests": "true",
        "media.allow_loopback_for_tests": "true",
        "media.max_bytes": str(16 << 20),
    })
    migrate(config)
    daemon = ctx.daemon(config)
    daemon.start()
    with open(os.path.join(ROOT, "Tests", "Fixtures", "mo", "whatsapp-media.json")) as f:
        body = f.read()
    now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    body = (body.replace("https://cdn-1.messaging.cm.com/fileproxy/files/0123456789abcdef0123456789abcdef",
                         f"http://127.0.0.1:{media_port}/big.jpg")
            .replace("2019-11-05T08:32:33", now).replace("2f2d42ac-3809-40fb-bce5-dc720e400000", f"media-{now}"))
    from payloads import Payload
    photo = Payload(0, "media", "POST", "/mo", "mo", "application/json", body.encode(), "mo/whatsapp-media.json")
    first, _ = LoadGen(ctx.port, None, 1).send(photo)
    ctx.expect(first.status == 200, f"the message with media got {first.status}")
    # Ingest carries on while the download fails.
    attempts = [first] + LoadGen(ctx.port, PayloadSource("mf", 300), 8).run()
    failed = eventually(lambda: checker.sql(ctx.db, "SELECT last_error IS NOT NULL FROM media_items")[0][0] == "t",
                        20, 0.1)
    item = checker.sql(ctx.db, "SELECT id, state, coalesce(last_error, ''), attempts FROM media_items")[0]
    ctx.expect(failed, "the download into a full disk never failed")
    ctx.expect(item[1] == "pending", f"the item is {item[1]} after a full disk (must stay pending, retried)")
    ctx.expect("full" in item[2], f"the error does not say the disk is full: {item[2]!r}")
    leftovers = [name for _, _, names in os.walk(media) for name in names if name.endswith(".part")]
    ctx.expect(not leftovers, f"partial files left on the full disk: {leftovers}")
    ctx.expect(daemon.alive(), "the daemon died on a full disk")
    ctx.note(f"disk full: item {item[0]} {item[1]} after {item[3]} attempt(s): {item[2][:90]}")
    freed = time.monotonic()
    subprocess.run(["mount", "-o", "remount,size=16m", media], check=True)
    moctl(config, "media", "fetch-now", item[0])
    stored = eventually(lambda: checker.sql(ctx.db, "SELECT state FROM media_items")[0][0] == "stored", 20, 0.1)
    ctx.expect(stored, "the file was not stored after space was freed")
    if stored:
        ctx.recovered(time.monotonic() - freed)
        path, length = checker.sql(ctx.db, "SELECT path, size_bytes FROM media_items")[0]
        ctx.expect(int(length) == size and os.path.getsize(os.path.join(media, path)) == size,
                   f"stored {length} bytes, expected {size}")
    ctx.result["runs"] = 1
    ctx.settle(attempts)
    ctx.stop(daemon)


SCENARIOS = {
    "kill9": kill9,
    "pg-immediate": pg_immediate,
    "pg-fast": pg_fast,
    "terminate": terminate,
    "stall": stall,
    "hung-connection": hung_connection,
    "sigterm": sigterm,
    "storm": storm,
    "worker-kill": worker_kill,
    "media-full": media_full,
}


def main():
    parser = argparse.ArgumentParser(description="Run one chaos scenario (through bench/chaos/run).")
    parser.add_argument("name", choices=sorted(SCENARIOS))
    parser.add_argument("--long", action="store_true", help="the long version (more runs, longer outages)")
    parser.add_argument("--result", required=True, help="append the JSON result line here")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("MO_CHAOS_SEED", time.time_ns() % 100000)))
    args = parser.parse_args()
    # The runner's time bound ends us with SIGTERM: clean up (stop the daemon, remount) on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    print(f"== {args.name} ({'long' if args.long else 'short'}, seed {args.seed})", flush=True)
    ctx = None
    status = 0
    started = time.monotonic()
    try:
        ctx = Context(args.name, args.long, args.seed)
        SCENARIOS[args.name](ctx)
        status = 1 if ctx.result["violations"] else 0
    except Skip as skip:
        ctx.result["skipped"] = str(skip)
        print(f"  SKIPPED: {skip}", flush=True)
        status = 77
    except SystemExit as exit_:
        if ctx:
            ctx.result["violations"].append(f"cut off at the time bound (exit {exit_.code})")
        status = 1
    except Exception as error:  # a broken scene is a failure too, with its trace
        traceback.print_exc()
        if ctx:
            ctx.result["violations"].append(f"error: {error}")
        status = 1
    finally:
        if ctx:
            for daemon in ctx.daemons:
                if daemon.alive():
                    daemon.kill9()
            for cleanup in reversed(ctx.cleanups):
                try:
                    cleanup()
                except Exception:
                    pass
            try:
                ctx.cluster.ensure_running()
            except Exception:
                pass
    if ctx:
        ctx.result["seconds"] = round(time.monotonic() - started, 1)
        with open(args.result, "a") as f:
            f.write(json.dumps(ctx.result) + "\n")
    else:
        with open(args.result, "a") as f:
            f.write(json.dumps(dict(scenario=args.name, violations=["could not set up"], notes=[])) + "\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
