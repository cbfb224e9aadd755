"""Distinct CM webhook payloads in CM's real wire formats, for the chaos scenarios.

Each payload is a fixture from Tests/Fixtures (taken from CM's documents, see the seeds/ folder of the shared project documents) with a unique id
written into the fields CM fills per message (reference, message text, sender), so every payload has its own bytes
and therefore its own dedupe key. The mix follows bench/mix.lua: mostly inbound messages of several channels and
forms, then status reports (XML, JSON, GET query), then events.
"""
import hashlib
import os
from dataclasses import dataclass, field
from typing import Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")


@dataclass
class Payload:
    index: int
    uid: str
    method: str  # POST or GET
    path: str  # webhook path below the prefix: /mo, /status, /events
    endpoint: str  # what the daemon stores: mo, status, event
    content_type: Optional[str]
    body: bytes  # POST body; for GET the query string (what the daemon stores as the body)
    form: str  # fixture it came from
    sha256: str = field(init=False)

    def __post_init__(self):
        self.sha256 = hashlib.sha256(self.body).hexdigest()

    def target(self, prefix: str) -> str:
        if self.method == "GET":
            return f"{prefix}{self.path}?{self.body.decode()}"
        return prefix + self.path


def _fixture(path: str) -> str:
    with open(os.path.join(FIXTURES, path), encoding="utf-8") as f:
        return f.read()


def _substitute(text: str, replacements: dict) -> str:
    for old, new in replacements.items():
        if old not in text:
            raise ValueError(f"fixture no longer contains {old!r}: update bench/chaos/payloads.py")
        text = text.replace(old, new)
    return text


class Forms:
    """The templates, read once. Each entry: (weight, method, path, endpoint, content type, fixture, builder)."""

    def __init__(self):
        whatsapp = _fixture("mo/whatsapp-text.json")
        sms = _fixture("mo/sms-reply.json")
        legacy_xml = _fixture("mo/legacy.xml")
        legacy_json = _fixture("mo/legacy-flat.json")
        xml_status = _fixture("status/xml-current.xml")
        json_status = _fixture("status/json-whatsapp-read.json")
        query_status = _fixture("status/query-encoded.txt").strip()
        event = _fixture("events/rcs-suggestion-click.json")

        def number(n):  # a distinct customer per payload (auto-replies rate-limit per customer)
            return f"{n % 10_000_000:07d}"

        self.forms = [
            (40, "POST", "/mo", "mo", "application/json", "mo/whatsapp-text.json",
             lambda uid, n: _substitute(whatsapp, {
                 "2f2d42ac-3809-40fb-bce5-dc720e400000": uid,
                 "This is an example message": f"This is an example message {uid}",
                 "+316012345678": f"+31650{number(n)}"})),
            (15, "POST", "/mo", "mo", "application/json", "mo/sms-reply.json",
             lambda uid, n: _substitute(sms, {
                 "apptReminder20240301n42": uid, "0031612345678": f"0031651{number(n)}"})),
            (8, "POST", "/mo", "mo", "text/xml", "mo/legacy.xml",
             lambda uid, n: _substitute(legacy_xml, {
                 "a010Y00000ToIliQAF_20170620105591290": uid, "<ID>519161862</ID>": f"<ID>{n}</ID>",
                 "0123456789": f"0652{number(n)}"})),
            (7, "POST", "/mo", "mo", "application/json", "mo/legacy-flat.json",
             lambda uid, n: _substitute(legacy_json, {
                 "apptReminder20240301n42": uid, "+31612345678": f"+31653{number(n)}"})),
            (12, "POST", "/status", "status", "text/xml", "status/xml-current.xml",
             lambda uid, n: _substitute(xml_status, {"my_reference_124": uid})),
            (8, "POST", "/status", "status", "application/json", "status/json-whatsapp-read.json",
             lambda uid, n: _substitute(json_status, {'"a73bc8c0"': f'"{uid}"'})),
            (5, "GET", "/status", "status", None, "status/query-encoded.txt",
             lambda uid, n: _substitute(query_status, {"reference=order+42%2Fb": f"reference={uid}"})),
            (5, "POST", "/events", "event", "application/json", "events/rcs-suggestion-click.json",
             lambda uid, n: _substitute(event, {"a73bc8c0-5d0b-4e51-9f3a-2c4e8b7d1f60": uid})),
        ]
        # A deterministic weighted rotation (no randomness: a failing run can be replayed).
        self.rotation = [i for i, form in enumerate(self.forms) for _ in range(form[0])]

    def make(self, run: str, n: int, form_index: Optional[int] = None) -> Payload:
        index = self.rotation[(n * 37) % len(self.rotation)] if form_index is None else form_index
        _, method, path, endpoint, content_type, name, build = self.forms[index]
        uid = f"{run}-{n}"
        return Payload(n, uid, method, path, endpoint, content_type, build(uid, n).encode(), name)

    def index_of(self, fixture: str) -> int:
        return next(i for i, form in enumerate(self.forms) if form[5] == fixture)


class PayloadSource:
    """Hands out payloads to load-generator threads: a fixed count, or without end until stopped."""

    def __init__(self, run: str, count: Optional[int] = None, form: Optional[str] = None, start: int = 0):
        import threading
        self.forms = Forms()
        self.run = run
        self.count = count
        self.form_index = self.forms.index_of(form) if form else None
        self.start = start  # the first payload number (numbers also pick the customer)
        self.made: list = []
        self.lock = threading.Lock()

    def next(self) -> Optional[Payload]:
        with self.lock:
            if self.count is not None and len(self.made) >= self.count:
                return None
            n = self.start + len(self.made)
            payload = self.forms.make(self.run, n, self.form_index)
            self.made.append(payload)
            return payload
