"""The template library and sandboxed rendering (issue 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from outreach.errors import TemplateError
from outreach.notes import templates

LIBRARY = templates.available(Path("/nonexistent-user-dir"))
REQUIRED_LIBRARY = {
    "thank-referrer",
    "close-loop-referrer",
    "thanks-after-meeting",
    "check-in",
    "congratulations",
    "share-resource",
    "offer-introduction",
    "reply-to-introduction",
    "follow-up",
}


def write_template(directory: Path, name: str, body: str, header: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.j2"
    path.write_text(
        "{#\n"
        f'name = "{name}"\npurpose = "test"\nfits = "tests"\nsubject = "Hello {{{{ first_name }}}}"\n'
        f'required = ["first_name"]\n{header}#}}\n{body}',
        encoding="utf-8",
    )
    return path


# -- the library ---------------------------------------------------------------


def test_library_has_every_template_the_issue_lists():
    assert set(LIBRARY) >= REQUIRED_LIBRARY
    assert all(t.origin == "library" for t in LIBRARY.values())


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_library_template_declares_exactly_the_variables_it_uses(name):
    info = LIBRARY[name]
    assert info.purpose and info.fits and info.subject
    assert sorted(templates._referenced(info)) == sorted(info.variables)
    assert set(info.required) <= set(info.sample), "sample data must cover every required variable"
    assert set(info.sample) <= set(info.variables), "sample data names an undeclared variable"


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_library_template_is_short_with_and_without_optional_parts(name):
    info = LIBRARY[name]
    full = templates.render(info, info.sample)
    bare = templates.render(info, {k: info.sample[k] for k in info.required})
    assert 50 <= len(full.body.split()) <= 125, full.body
    assert 45 <= len(bare.body.split()) <= 125, bare.body
    assert "\n" not in full.subject and full.subject
    assert "{{" not in full.body and "{%" not in full.body
    assert "\n\n\n" not in full.body and "\n\n\n" not in bare.body


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_library_template_rendered_with_sample_data_passes_the_linter(name):
    from outreach.lint import lint

    info = LIBRARY[name]
    rendered = templates.render(info, info.sample)
    report = lint(rendered.body, to="someone@example.org", subject=rendered.subject)
    assert report.findings == [], f"{name}: {report.findings}"


def test_reply_to_introduction_moves_the_introducer_to_bcc():
    info = LIBRARY["reply-to-introduction"]
    rendered = templates.render(info, info.sample)
    assert rendered.bcc == (info.sample["referrer_address"],)
    assert rendered.reply and rendered.subject.startswith("Re: ")


# -- errors --------------------------------------------------------------------


def test_missing_variable_names_the_template_and_the_variable():
    with pytest.raises(TemplateError, match=r"'congratulations'.*'news'"):
        templates.render("congratulations", {"first_name": "Sam"}, user=Path("/nonexistent"))


def test_unknown_template_is_a_clear_error_listing_the_known_ones(tmp_path):
    with pytest.raises(TemplateError, match=r"unknown template 'thank-you-so-much'.*check-in"):
        templates.render("thank-you-so-much", {}, user=tmp_path)


def test_template_name_cannot_walk_the_filesystem(tmp_path):
    with pytest.raises(TemplateError, match="not a template name"):
        templates.load("../etc/passwd", user=tmp_path)


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ first_name.__class__ }}",
        "{{ '{0.__class__}'.format(first_name) }}",
        "{{ range.__init__.__globals__ }}",
    ],
)
def test_a_template_cannot_reach_python_internals(tmp_path, escape):
    write_template(tmp_path, "sneaky", f"Hi {{{{ first_name }}}} {escape}\n")
    with pytest.raises(TemplateError, match=r"'sneaky'.*(sandbox|unsafe)"):
        templates.render("sneaky", {"first_name": "Sam"}, user=tmp_path)


BOMBS = [
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 999999 }}",
    "{{ (9 ** 60) ** 60 }}",
    "{% for i in range(10**9) %}{% endfor %}",
]


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_template_cannot_exhaust_memory(tmp_path, bomb):
    write_template(tmp_path, "bomb", f"Hi {{{{ first_name }}}} {bomb}\n")
    with pytest.raises(TemplateError, match="'bomb'"):
        templates.render("bomb", {"first_name": "Sam"}, user=tmp_path)


def test_a_template_cannot_include_files(tmp_path):
    write_template(tmp_path, "includer", "{% include '/etc/passwd' %}{{ first_name }}\n")
    with pytest.raises(TemplateError, match="'includer'"):
        templates.render("includer", {"first_name": "Sam"}, user=tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hi {{ first_name }}\n", "missing metadata header"),
        ("{#\nname = 'broken'\npurpose = \n#}\nHi\n", "metadata header"),
        ("{#\nname = 'other'\npurpose = 'p'\nfits = 'f'\nsubject = 's'\n#}\nHi\n", "differs from the file name"),
        ("{#\nname = 'broken'\npurpose = 'p'\nfits = 'f'\n#}\nHi\n", "needs a non-empty 'subject'"),
        ("{#\nname = 'broken'\npurpose = 'p'\nfits = 'f'\nsubject = 's'\n#}\nHi {{ first_name \n", "syntax"),
    ],
)
def test_malformed_user_template_is_an_error_naming_the_file(tmp_path, text, message):
    (tmp_path / "broken.j2").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=message) as caught:
        templates.load("broken", user=tmp_path)
    assert str(tmp_path / "broken.j2") in str(caught.value)


# -- user templates and header safety ------------------------------------------


def test_user_template_overrides_the_library_by_name(tmp_path):
    write_template(tmp_path, "check-in", "Hi {{ first_name }}, my own words.\n")
    found = templates.available(tmp_path)
    assert found["check-in"].origin == "user"
    assert found["congratulations"].origin == "library"
    assert templates.render("check-in", {"first_name": "Sam"}, user=tmp_path).body == "Hi Sam, my own words.\n"


def test_user_templates_dir_comes_from_config(tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_TEMPLATES_DIR", str(tmp_path))
    write_template(tmp_path, "mine", "Hi {{ first_name }}.\n")
    assert templates.available()["mine"].path == tmp_path / "mine.j2"


def test_optional_variables_have_defaults_and_given_values_win():
    info = LIBRARY["thanks-after-meeting"]
    plain = templates.render(info, {"first_name": "Jo", "topic": "hiring"})
    assert plain.subject == "Thank you for our conversation"
    given = templates.render(info, {"first_name": "Jo", "topic": "hiring", "meeting": "the call"})
    assert given.subject == "Thank you for the call"


def test_crlf_in_a_contact_name_cannot_inject_headers():
    info = LIBRARY["thank-referrer"]
    evil = "Priya\r\nBcc: attacker@evil.example\r\n\r\nspam"
    rendered = templates.render(info, {"first_name": "Maya", "intro_name": evil})
    assert "\r" not in rendered.subject and "\n" not in rendered.subject
    assert rendered.subject == "Thank you for introducing me to Priya Bcc: attacker@evil.example spam"


def test_safe_header_removes_every_line_break_kind():
    assert templates.safe_header("a\rb\nc\x0bd\x85e\u2028f\x00g\tz") == "a b c d e f g z"
