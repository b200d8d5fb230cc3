"""outreach templates | render | send, end to end through the CLI."""

from __future__ import annotations

import json

import pytest

from outreach.cli import main

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


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


def test_render_without_a_from_address_prints_the_recipient_and_bcc_as_they_would_be_sent(capsys, monkeypatch):
    monkeypatch.delenv("OUTREACH_ME")
    code = main(["render", "reply-to-introduction", "--to", "Priya Raman <priya@example.org>",
                 "--var", "referrer_first_name=Sam", "--var", "referrer_address=sam@example.org",
                 "--var", "last_subject=Intro", "--var", "topic=design"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("To: Priya Raman <priya@example.org>\nBcc: sam@example.org\nSubject: ")


def test_render_out_naming_a_file_says_so(tmp_path, capsys):
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    code = main(["render", "congratulations", "--to", "Sam Lee <sam@example.org>", "--var", "news=x",
                 "--out", str(taken)])
    assert code == 2 and capsys.readouterr().err == f"outreach: error: {taken}: is a file, not a folder for drafts\n"
    assert taken.read_text() == "mine\n"
