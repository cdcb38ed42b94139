"""Issue 20, findings 1 and 8 against the running app (`ui.app.launch`, real HTTP on 127.0.0.1).

1. Who may change the library is decided by authentication, never by headers: a request to 127.0.0.1
   carrying X-Real-IP / Forwarded / X-Forwarded-For (localhost, testclient, ::1) is not "this machine";
   a Host the app does not serve is refused (DNS rebinding); RAG_AUTH set means a login on loopback too.
8. The login lockout is per client with a short back-off; questions are rate-limited per client.
"""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import httpx
import pytest

from ui.access import RateLimiter, allowed_hosts, host_name, is_direct_local, may_change

from .sec_helpers import XIHU, library_with
from .servers import free_port

QUESTION = "西湖区2023年办理法律援助案件多少件？"


@pytest.fixture
def served(tmp_path, embedder, monkeypatch):
    """`launch(host, port)` of the real app over a one-report library; yields (url, assistant)."""
    import gradio as gr

    import rag.api
    from ui import app

    assistant, results = library_with(tmp_path, embedder, {"西湖区2023年法治政府建设年度报告.txt": XIHU.format(planted="")})
    assert [r.status for r in results] == ["added"]
    demos = []
    monkeypatch.setattr(rag.api, "Assistant", lambda *a, **kw: assistant)
    monkeypatch.setattr(app, "build_app", lambda a, _build=app.build_app: demos.append(_build(a)) or demos[-1])
    monkeypatch.setattr(gr.Blocks, "block_thread", lambda self: None)

    def start(**env):
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        port = free_port()
        assert app.launch(assistant.settings, host="127.0.0.1", port=port) == 0
        return f"http://127.0.0.1:{port}/"

    yield start, assistant
    for demo in demos:
        demo.close()


def _client(url, headers=None, auth=None):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, headers=headers, auth=auth)


def _edit(url, doc_id, headers=None, auth=None, assistant=None) -> str:
    """The correction form's save: every field as shown, the year changed to 2019."""
    from ui.library_tab import FIELDS, form_values

    entry = next(e for e in assistant.library_reports() if e["doc_id"] == doc_id)
    values = form_values(entry)
    values[FIELDS.index("year")] = "2019"
    status, *_ = _client(url, headers, auth).predict(doc_id, *values, api_name="/library_edit")
    return status


SPOOFS = [{"X-Real-IP": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}, {"X-Forwarded-For": "localhost"},
          {"X-Forwarded-For": "testclient"}, {"X-Forwarded-For": "::1"}, {"X-Forwarded-For": "127.0.0.1"},
          {"Via": "1.1 proxy"}]


def test_headers_never_grant_library_changes(served):
    start, assistant = served
    url = start()
    doc_id = assistant.library_reports()[0]["doc_id"]
    for headers in SPOOFS:
        status = _edit(url, doc_id, headers, assistant=assistant)
        assert "只有已登录用户" in status, headers
        assert assistant.library_reports()[0]["year"] == 2023, headers
        # removal and upload are refused the same way
        status, *_ = _client(url, headers).predict(doc_id, api_name="/library_remove")
        assert "只有已登录用户" in status and assistant.library_reports(), headers
    # A direct connection from this machine, naming it by a loopback name, may.
    assert "已更新" in _edit(url, doc_id, assistant=assistant)
    assert assistant.library_reports()[0]["year"] == 2019


def test_headers_never_grant_an_upload(served, tmp_path):
    from gradio_client import handle_file

    start, assistant = served
    url = start()
    report = tmp_path / "越秀区2020年法治政府建设年度报告.txt"
    report.write_text(XIHU.format(planted="").replace("杭州市西湖区", "广州市越秀区").replace("西湖区", "越秀区")
                      .replace("2023", "2020"), encoding="utf-8")
    for headers in SPOOFS[:3]:
        status, *_ = _client(url, headers).predict([handle_file(str(report))], api_name="/library_add")
        assert "只有已登录用户" in status and len(assistant.library_reports()) == 1, headers
    status, *_ = _client(url).predict([handle_file(str(report))], api_name="/library_add")
    assert "已添加" in status and len(assistant.library_reports()) == 2


@pytest.mark.parametrize("host", ["evil.example", "evil.example:7860", "127.0.0.1.evil.example", "attacker.test"])
def test_dns_rebinding_host_is_refused(served, host):
    start, assistant = served
    url = start()
    for path in ("", "config", "gradio_api/info"):
        r = httpx.get(url + path, headers={"Host": host}, timeout=10)
        assert r.status_code == 421 and "DNS" in r.json()["detail"], (host, path)
    r = httpx.post(url + "gradio_api/queue/join", headers={"Host": host}, json={}, timeout=10)
    assert r.status_code == 421
    for name in ("127.0.0.1", "localhost", f"localhost:{url.rsplit(':', 1)[1].strip('/')}"):
        assert httpx.get(url + "config", headers={"Host": name}, timeout=10).status_code == 200


def test_rag_auth_means_a_login_on_loopback_too(served):
    start, assistant = served
    url = start(RAG_AUTH="admin:s3cret")
    assert httpx.get(url + "config", timeout=10).status_code == 401
    with pytest.raises(Exception, match="credentials|login|Login"):
        _client(url)
    answer = _client(url, auth=("admin", "s3cret")).predict(QUESTION, api_name="/chat")
    assert answer.startswith("88件")
    doc_id = assistant.library_reports()[0]["doc_id"]
    assert "已更新" in _edit(url, doc_id, auth=("admin", "s3cret"), assistant=assistant)
    assert assistant.library_reports()[0]["year"] == 2019


def test_allowed_hosts_extend_the_served_names(monkeypatch, served):
    start, _ = served
    url = start(RAG_ALLOWED_HOSTS="rag.example.org, intranet")
    assert httpx.get(url + "config", headers={"Host": "rag.example.org"}, timeout=10).status_code == 200
    assert httpx.get(url + "config", headers={"Host": "intranet:8080"}, timeout=10).status_code == 200
    assert httpx.get(url + "config", headers={"Host": "other.example"}, timeout=10).status_code == 421


# ---- the rule itself, row by row ---------------------------------------------------------------
def _request(client="127.0.0.1", host="127.0.0.1:7860", username=None, **headers):
    hdrs = {"host": host, **{k.replace("_", "-").lower(): v for k, v in headers.items()}} if host else headers
    return SimpleNamespace(client=SimpleNamespace(host=client), headers=hdrs, username=username)


@pytest.mark.parametrize("request_,auth,allowed", [
    (_request(), None, True),
    (_request(host="localhost:7860"), None, True),
    (_request(client="::1", host="[::1]:7860"), None, True),
    (_request(client="192.0.2.7"), None, False),
    (_request(client="localhost"), None, False),  # a name, as uvicorn sets it from X-Forwarded-For: localhost
    (_request(client="testclient"), None, False),
    (_request(host="evil.example"), None, False),
    (_request(host=None), None, False),
    (_request(x_real_ip="203.0.113.9"), None, False),
    (_request(forwarded="for=203.0.113.9"), None, False),
    (_request(x_forwarded_for="127.0.0.1"), None, False),
    (_request(), "u:p", False),  # RAG_AUTH set: loopback alone is not enough
    (_request(client="192.0.2.7", username="u"), "u:p", True),
    (_request(username="u", host="evil.example"), "u:p", True),  # a login is a login (the Host check is the app's)
], ids=lambda v: repr(v)[:60] if not isinstance(v, bool) else str(v))
def test_may_change_rule(monkeypatch, request_, auth, allowed):
    if auth:
        monkeypatch.setenv("RAG_AUTH", auth)
    assert may_change(request_) is allowed


def test_served_names():
    assert allowed_hosts("127.0.0.1", {}) >= {"127.0.0.1", "localhost", "::1"}
    assert "evil.example" not in allowed_hosts("127.0.0.1", {})
    assert "192.0.2.5" in allowed_hosts("192.0.2.5", {})
    assert allowed_hosts("0.0.0.0", {}) is None  # any name, read-only without login
    assert "rag.example.org" in allowed_hosts("0.0.0.0", {"RAG_ALLOWED_HOSTS": "rag.example.org"})
    assert host_name("[::1]:7860") == "::1" and host_name("LocalHost:80") == "localhost"
    assert not is_direct_local(_request(host="localhost.evil.example"))


# ---- finding 8: the login lockout is per client, with a short back-off -------------------------
def test_lockout_is_per_client_with_back_off():
    from ui.login import LoginGuard

    now = [100.0]
    guard = LoginGuard("admin", "right", delay=0.0, clock=lambda: now[0])
    for i in range(5):
        assert not guard.check("admin", f"guess{i}", "203.0.113.9")
    assert not guard.check("admin", "right", "203.0.113.9")  # that client is locked …
    assert guard.check("admin", "right", "198.51.100.7")  # … nobody else is
    assert guard.locked_until("203.0.113.9") == pytest.approx(105.0)  # a short first lock: 5 s
    now[0] = 105.5
    for i in range(5):
        assert not guard.check("admin", f"again{i}", "203.0.113.9")
    assert guard.locked_until("203.0.113.9") == pytest.approx(115.5)  # doubled: 10 s
    now[0] = 116.0
    assert guard.check("admin", "right", "203.0.113.9")  # the right password after the lock
    assert guard.locked_until("203.0.113.9") == 0.0  # and the record is cleared


def test_lockout_per_client_through_the_real_login_route(served):
    """Five wrong logins from one client (through a local proxy: X-Forwarded-For) lock only that client."""
    start, _ = served
    url = start(RAG_AUTH="admin:s3cret")

    async def attempts():
        async with httpx.AsyncClient(base_url=url, timeout=30) as c:
            bad = await asyncio.gather(*(c.post("login", data={"username": "admin", "password": f"x{i}"},
                                                headers={"X-Forwarded-For": "203.0.113.9"}) for i in range(8)))
            other = await c.post("login", data={"username": "admin", "password": "s3cret"},
                                 headers={"X-Forwarded-For": "198.51.100.7"})
            locked = await c.post("login", data={"username": "admin", "password": "s3cret"},
                                  headers={"X-Forwarded-For": "203.0.113.9"})
            direct = await c.post("login", data={"username": "admin", "password": "s3cret"})
            return bad, other, locked, direct

    bad, other, locked, direct = asyncio.run(attempts())
    assert all(r.status_code == 400 for r in bad)
    assert other.status_code == 200  # another client is not locked out
    assert direct.status_code == 200
    assert locked.status_code == 400  # the guesser is, even with the right password


# ---- finding 8: a per-client rate limit on questions -------------------------------------------
def test_questions_are_rate_limited_per_client(served):
    start, _ = served
    url = start(RAG_RATE_LIMIT="3")
    far = {"X-Forwarded-For": "203.0.113.9"}  # a remote user behind a local proxy
    c = _client(url, headers=far)
    for _ in range(3):
        assert c.predict(QUESTION, api_name="/chat").startswith("88件")
    with pytest.raises(Exception):
        c.predict(QUESTION, api_name="/chat")
    r = httpx.post(url + "gradio_api/queue/join", headers=far, json={}, timeout=10)
    assert r.status_code == 429 and "每分钟最多 3 次" in r.json()["detail"] and int(r.headers["retry-after"]) >= 1
    # Another client, and a direct local user, are not held by it.
    assert _client(url, headers={"X-Forwarded-For": "198.51.100.7"}).predict(QUESTION, api_name="/chat").startswith("88件")
    local = _client(url)
    for _ in range(4):
        assert local.predict(QUESTION, api_name="/chat").startswith("88件")


def test_rate_limiter_window():
    now = [0.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0 and limiter.hit("a") > 0
    assert limiter.hit("b") == 0
    now[0] = 60.5
    assert limiter.hit("a") == 0


def test_bad_rate_limit_refuses_to_start(monkeypatch, capsys):
    import rag.api
    from rag.settings import Settings
    from ui import app

    monkeypatch.setattr(rag.api, "Assistant", lambda *a, **k: pytest.fail("must stop before"))
    monkeypatch.setenv("RAG_RATE_LIMIT", "lots")
    assert app.launch(Settings(), host="127.0.0.1", port=free_port()) == 2
    assert "RAG_RATE_LIMIT" in capsys.readouterr().err
