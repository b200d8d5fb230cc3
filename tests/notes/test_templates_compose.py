"""Template variables from what the store knows of a contact (outreach.notes.compose), and render --db."""

from __future__ import annotations

import pytest

from outreach.cli import main
from outreach.model import Act
from outreach.network import cache
from outreach.notes import compose
from tests.relationships_box import ME, Box


@pytest.fixture
def introduced(tmp_path, monkeypatch):
    """Maria introduced the user (ME) to Priya; nobody has answered yet."""
    monkeypatch.setenv("OUTREACH_ME", ME)
    monkeypatch.setenv("OUTREACH_NAME", "Alex Morgan")
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path / "none"))
    box = Box(tmp_path / "store.db")
    intro = Act("introduction", "", "Meet Priya Raman, who runs design at Loop.", person="Priya Raman")
    box.mail("Maria Gomez <maria@m.com>", [ME, "Priya Raman <priya@loop.io>"], 10,
             subject="Intro: Alex <> Priya", acts=[intro])
    box.mail("Maria Gomez <maria@m.com>", ME, 2, subject="Re: Lunch")
    cache.update(box.store)  # as sync leaves it
    yield box
    box.store.close()


def test_the_referrer_is_known_with_the_person_they_introduced(introduced):
    values = compose.known_variables(introduced.store, "maria@m.com")
    assert values["first_name"] == "Maria"
    assert values["intro_name"] == "Priya Raman" and values["intro_first_name"] == "Priya"
    assert values["last_subject"] == "Intro: Alex <> Priya"
    assert values["last_message_id"] == "<m1@test>"


def test_the_introduced_person_knows_their_referrer(introduced):
    values = compose.known_variables(introduced.store, "PRIYA@loop.io")
    assert (values["referrer_first_name"], values["referrer_address"]) == ("Maria", "maria@m.com")
    assert values["first_name"] == "Priya"


def test_an_unknown_address_or_a_missing_store_knows_nothing(introduced, tmp_path):
    assert compose.known_variables(introduced.store, "stranger@x.com") == {}
    assert compose.known_variables_at(tmp_path / "absent.db", "maria@m.com") == {}
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(
    ("subject", "bare"),
    [("Re: RE: Fwd: lunch", "lunch"), ("AW: [2]: Plan", "[2]: Plan"), ("Re[2]: Plan", "Plan"), ("Ideas", "Ideas")],
)
def test_reply_prefixes_are_stripped(subject, bare):
    assert compose.strip_prefixes(subject) == bare


def test_render_thanks_the_referrer_from_the_store(introduced, capsys):
    db = str(introduced.store.path)
    assert main(["render", "thank-referrer", "--to", "maria@m.com", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "To: Maria Gomez <maria@m.com>\n" in out  # the name comes from the store too
    assert "Subject: Thank you for introducing me to Priya Raman\n" in out and "Hi Maria,\n" in out


def test_render_reply_to_introduction_threads_and_bccs_the_introducer(introduced, capsys, tmp_path):
    db = str(introduced.store.path)
    args = ["render", "reply-to-introduction", "--to", "priya@loop.io", "--db", db, "--var", "topic=design ops"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    [path] = (tmp_path / "out").glob("*.eml")
    text = path.read_text()
    assert "Subject: Re: Intro: Alex <> Priya\n" in text and "Bcc: maria@m.com\n" in text
    assert "In-Reply-To: <m1@test>\n" in text
    assert "Thank you for the introduction, Maria." in text and "Hi Priya," in text
