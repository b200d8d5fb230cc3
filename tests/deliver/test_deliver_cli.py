"""outreach templates | render | send, end to end through the CLI."""

from __future__ import annotations

import io
import json
import sys
import types
from dataclasses import dataclass
from enum import Enum

import pytest

from outreach.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


class Severity(Enum):
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str | Severity
    message: str


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "SMTP_USER", "SMTP_PASSWORD", "SMTP_PASSWORD_CMD",
                 "SMTP_CA_FILE", "FROM", "NAME", "TEMPLATES_DIR", "DB"):
        monkeypatch.delenv(f"OUTREACH_{name}", raising=False)
    monkeypatch.setenv("OUTREACH_ME", "alex@morgan.example")
    monkeypatch.setenv("OUTREACH_NAME", "Alex Morgan")
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "my-templates"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def use_linter(monkeypatch, findings=()):
    """Stand in for outreach.lint until the real linter lands (it is another area's module)."""
    module = types.ModuleType("outreach.lint")
    module.lint = lambda text, to=None: list(findings)
    monkeypatch.setitem(sys.modules, "outreach.lint", module)


def use_server(monkeypatch, server):
    for key, value in {"HOST": "localhost", "PORT": str(server.port), "USER": server.user,
                       "PASSWORD": server.password, "CA_FILE": str(server.cert)}.items():
        monkeypatch.setenv(f"OUTREACH_SMTP_{key}", value)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def render_to(tmp_path, capsys, *extra: str):
    out = tmp_path / "drafts"
    code = main(["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=the launch",
                 "--out", str(out), *extra])
    assert code == 0, capsys.readouterr()
    [path] = out.glob("*.eml")
    capsys.readouterr()
    return path


# -- templates and render ------------------------------------------------------


def test_templates_lists_the_library_as_json(capsys):
    assert main(["templates", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"] for r in rows}
    assert {"thank-referrer", "follow-up", "reply-to-introduction"} <= names
    assert all(r["origin"] == "library" and r["purpose"] and r["required"] for r in rows)


def test_render_prints_the_filled_draft(capsys):
    assert main(["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=the launch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("From: Alex Morgan <alex@morgan.example>\nTo: Sam Lee <sam@example.org>\n")
    assert "Subject: Congratulations on the launch\n" in out and "Hi Sam,\n" in out


def test_var_wins_over_the_name_given_with_to(capsys):
    main(["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=x",
          "--var", "first_name=Sammy"])
    assert "Hi Sammy,\n" in capsys.readouterr().out


def test_render_out_writes_once_and_keeps_the_file_after(tmp_path, capsys):
    path = render_to(tmp_path, capsys)
    assert main(["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=the launch",
                 "--out", str(path.parent)]) == 0
    assert "kept" in capsys.readouterr().out
    assert list(path.parent.glob("*.eml")) == [path]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["congratulations"], "needs variables 'first_name', 'news'"),
        (["no-such-template"], "unknown template 'no-such-template'"),
        (["sneaky"], "not allowed in the sandbox"),
        (["congratulations", "--var", "news"], "expected NAME=VALUE"),
    ],
)
def test_render_errors_are_one_line_and_write_nothing(tmp_path, capsys, args, message):
    mine = tmp_path / "my-templates"
    mine.mkdir()
    (mine / "sneaky.j2").write_text(
        '{#\nname = "sneaky"\npurpose = "p"\nfits = "f"\nsubject = "hi"\n#}\n'
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    )
    out = tmp_path / "drafts"
    code = main(["render", *args[:1], "--to", "sam@example.org", *args[1:], "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not out.exists()


def test_render_to_a_file_needs_a_from_address(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OUTREACH_ME")
    code = main(["render", "congratulations", "--to", "sam@example.org", "--var", "news=x", "--var", "first_name=Sam",
                 "--out", str(tmp_path / "d")])
    assert code == 2 and "OUTREACH_FROM" in capsys.readouterr().err


# -- send ----------------------------------------------------------------------


def test_send_refuses_without_the_linter(tmp_path, capsys, monkeypatch, smtp_server):
    use_server(monkeypatch, smtp_server)
    path = render_to(tmp_path, capsys)
    monkeypatch.setitem(sys.modules, "outreach.lint", None)  # as if it were not installed
    assert main(["send", str(path), "--yes"]) == 2
    assert "linter" in capsys.readouterr().err
    assert smtp_server.received == []


def test_send_without_a_terminal_is_a_dry_run(tmp_path, capsys, monkeypatch, smtp_server):
    use_server(monkeypatch, smtp_server)
    use_linter(monkeypatch)
    path = render_to(tmp_path, capsys)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # not a terminal, even if it says yes
    assert main(["send", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Dry run: nothing sent" in out and "Subject: Congratulations on the launch" in out
    assert "--yes" in out and "sam@example.org" in out
    assert smtp_server.received == []


def test_send_yes_sends_exactly_the_draft(tmp_path, capsys, monkeypatch, smtp_server):
    use_server(monkeypatch, smtp_server)
    use_linter(monkeypatch)
    path = render_to(tmp_path, capsys)
    assert main(["send", str(path), "--yes"]) == 0
    assert "Sent <outreach." in capsys.readouterr().out
    [got] = smtp_server.received
    assert got.rcpt_tos == ("sam@example.org",)
    assert got.data.replace(b"\r\n", b"\n") == path.read_bytes()


@pytest.mark.parametrize(("answer", "sent"), [("y\n", 1), ("n\n", 0), ("\n", 0), ("", 0)])
def test_send_asks_on_a_terminal(tmp_path, capsys, monkeypatch, smtp_server, answer, sent):
    use_server(monkeypatch, smtp_server)
    use_linter(monkeypatch)
    path = render_to(tmp_path, capsys)
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert main(["send", str(path)]) == (0 if sent else 1)
    assert "Send to sam@example.org via localhost" in capsys.readouterr().out
    assert len(smtp_server.received) == sent


def test_send_refuses_on_lint_errors_unless_forced(tmp_path, capsys, monkeypatch, smtp_server):
    use_server(monkeypatch, smtp_server)
    use_linter(monkeypatch, [Finding("OUT101", Severity.ERROR, "asks for 60 minutes of a weak tie"),
                             Finding("OUT201", "warning", "long sentence")])
    path = render_to(tmp_path, capsys)
    assert main(["send", str(path), "--yes"]) == 1
    captured = capsys.readouterr()
    assert "OUT101 error asks for 60 minutes" in captured.out and "not sent" in captured.err
    assert smtp_server.received == []
    assert main(["send", str(path), "--yes", "--force"]) == 0
    assert len(smtp_server.received) == 1


def test_send_with_wrong_password_is_a_one_line_error(tmp_path, capsys, monkeypatch, smtp_server):
    use_server(monkeypatch, smtp_server)
    monkeypatch.setenv("OUTREACH_SMTP_PASSWORD", "wrong")
    use_linter(monkeypatch)
    path = render_to(tmp_path, capsys)
    assert main(["send", str(path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and "wrong" not in err
    assert smtp_server.received == []


def test_a_draft_already_sent_is_not_sent_again_unless_forced(tmp_path, capsys, monkeypatch, smtp_server):
    use_server(monkeypatch, smtp_server)
    use_linter(monkeypatch)
    path = render_to(tmp_path, capsys)
    assert main(["send", str(path), "--yes"]) == 0
    capsys.readouterr()
    assert main(["send", str(path), "--yes"]) == 1
    assert "already sent on" in capsys.readouterr().err
    assert len(smtp_server.received) == 1
    assert main(["send", str(path), "--yes", "--force"]) == 0
    assert len(smtp_server.received) == 2
