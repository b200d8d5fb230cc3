"""Faults found with real-world mail (issue 14, faults 8 and 11): each test reproduced one first."""

import io
import os
import shutil
from pathlib import Path

import pytest

from outreach.cli.sync import print_report
from outreach.ingest import sync
from outreach.ingest.parse import parse
from outreach.ingest.sources.local import EmlDirSource, MaildirSource, MboxSource
from outreach.network import cache, contacts
from outreach.store.db import Store

# ../shared/corpus beside the project; OUTREACH_TEST_CORPUS names it from a worktree elsewhere
HERE = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("OUTREACH_TEST_CORPUS") or HERE.parent / "shared" / "corpus")
CORPUS = SHARED / "malformed"
MAILS = CORPUS / "mail-parser" / "tests" / "mails"
SISIMAI = CORPUS / "sisimai-set-of-emails" / "maildir"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")

NO_ID = (
    b"From: Sam <sam@example.com>\nTo: alex@morgan.example\nSubject: lunch\n"
    b"Date: Tue, 03 Mar 2026 10:00:00 +0000\n\n"
)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "outreach.db") as s:
        yield s


def maildir_with(base: Path, subs: tuple[str, ...], files: dict[str, bytes]) -> Path:
    for sub in subs:
        (base / sub).mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (base / subs[0] / name).write_bytes(data)
    return base


def mail(n: int) -> bytes:
    return NO_ID.replace(b"lunch", f"note {n}".encode()) + f"Body {n}\n".encode()


# -- fault 8: lenient Maildir ----------------------------------------------------


@pytest.mark.parametrize("only", ["cur", "new"])
def test_a_maildir_with_only_one_of_cur_and_new_is_read(store, tmp_path, only):
    root = maildir_with(tmp_path / "Archive", (only,), {"1.a": mail(1), "2.b": mail(2)})
    report = sync.run(store, MaildirSource(root))
    assert (report.new, report.unreadable) == (2, 0)
    assert sync.run(store, MaildirSource(root)).read == 0  # and the cursor works without the other


def test_a_sub_folder_with_only_cur_inside_a_tree_is_read(store, tmp_path):
    root = maildir_with(tmp_path / "Mail", ("cur", "new", "tmp"), {"1.a": mail(1)})
    maildir_with(root / ".Projects", ("cur",), {"2.b": mail(2)})
    maildir_with(root / "old" / "2019", ("new",), {"3.c": mail(3)})
    source = MaildirSource(root)
    assert sorted(source.folders) == ["INBOX", "Projects", "old/2019"]
    assert sync.run(store, source).new == 3
    assert sorted(store.folders()) == ["INBOX", "Projects", "old/2019"]


# -- fault 11: fallback key, encoded-words and NUL, sidecars, bounce-like reports ------


def test_two_messages_without_message_id_and_with_the_same_headers_are_both_kept(store, tmp_path):
    notes = {"1.a": NO_ID + b"See you at noon.\n", "2.b": NO_ID + b"Sorry, I cannot make it.\n"}
    root = maildir_with(tmp_path / "Mail", ("cur",), notes)
    report = sync.run(store, MaildirSource(root))
    assert (report.new, report.duplicates) == (2, 0)


def test_the_same_message_without_message_id_is_one_message_in_maildir_and_mbox(store, tmp_path):
    body = b"See you at noon.\n"
    root = maildir_with(tmp_path / "Mail", ("cur",), {"1.a": (NO_ID + body).replace(b"\n", b"\r\n")})
    box = tmp_path / "archive.mbox"
    box.write_bytes(b"From sam@example.com Tue Mar  3 10:00:00 2026\n" + NO_ID + body + b"\n")
    assert sync.run(store, MaildirSource(root)).new == 1
    report = sync.run(store, MboxSource(box))
    assert (report.new, report.duplicates) == (0, 1)


def test_an_encoded_word_that_does_not_decode_is_decoded_leniently():
    data = (
        b"From: =?utf-8?B?U2FtIFN0b25l?= <sam@example.com>\n"
        b"To: =?x-unknown-charset?Q?Alex_M=C3=BCller?= <alex@morgan.example>\n"
        b"Subject: =?utf-8?B?R3LDvMOfZQ?= and =?iso-8859-1?Q?caf=E9?=\n\nhi\n"  # no base64 padding
    )
    message = parse(data, "INBOX")
    assert message.subject == "Grüße and café"
    assert message.sender.name == "Sam Stone"
    assert message.to[0].name == "Alex Müller"


def test_a_nul_byte_in_a_header_never_reaches_the_message():
    data = b"From: Sam\x00 <sam@example.com>\nSubject: hello\x00 there\nMessage-ID: <a\x00b@x>\n\nhi\n"
    message = parse(data, "INBOX")
    assert "\x00" not in message.subject + message.sender.name + message.key
    assert message.subject == "hello there"


@needs_corpus
def test_real_undecodable_subjects_and_a_nul_byte_are_stored_decoded_and_clean(store, tmp_path):
    folder = tmp_path / "Mail"
    (folder / "cur").mkdir(parents=True)
    shutil.copy(MAILS / "mail_test_9", folder / "cur" / "1.gb2312")  # GBK bytes labelled gb2312
    shutil.copy(SISIMAI / "err" / "make-test-31.eml", folder / "cur" / "2.nul")  # ISO-2022-JP ending in NUL
    assert sync.run(store, MaildirSource(folder)).new == 2
    subjects = sorted(row[0] for row in store.conn.execute("SELECT subject FROM messages"))
    assert all("=?" not in s and "\x00" not in s and s for s in subjects), subjects
    assert subjects[0] == "メール送信エラー (Error message)" and subjects[1].startswith("我把镜头")


@needs_corpus
def test_eml_dir_reads_only_files_that_look_like_mail_and_says_what_it_ignored(store):
    folder = CORPUS / "mail-parser"  # LICENSE.txt and NOTICE.txt beside the messages in tests/mails
    outlook = "tests/mails/mail_outlook_1"  # an Outlook .msg (OLE2) file, not RFC 822 mail
    messages = sorted((folder / "tests" / "mails").iterdir())
    report = sync.run(store, EmlDirSource(folder))
    assert report.read == len(messages) - 1
    assert report.new + report.duplicates + report.unreadable == report.read
    assert not [item for _, item, _ in store.skipped_items() if "LICENSE" in item or "NOTICE" in item]
    assert sorted(report.ignored) == ["LICENSE.txt", "NOTICE.txt", outlook]
    out = io.StringIO()
    print_report(report, out)
    assert f"ignored 3 files that are not mail: LICENSE.txt, NOTICE.txt, {outlook}" in out.getvalue()


def test_an_eml_file_that_is_not_mail_is_still_skipped_with_a_reason(store, tmp_path):
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "broken.eml").write_bytes(b"this is not a message\n")
    (tmp_path / "export" / "index.json").write_bytes(b'{"count": 1}\n')
    report = sync.run(store, EmlDirSource(tmp_path / "export"))
    assert (report.read, report.unreadable, report.ignored) == (1, 1, ["index.json"])
    assert [item for _, item, _ in store.skipped_items()] == ["broken.eml"]


BOUNCE_LIKE = [
    "bsd/arf-22.eml",  # a complaint report (Hotmail JMRP)
    "bsd/arf-23.eml",
    "bsd/arf-24.eml",
    "bsd/lhost-fml-02.eml",  # a mailing-list admin notice: you are not a member
    "bsd/lhost-fml-03.eml",  # a mailing-list loop alert
    "bsd/lhost-mcafee-04.eml",  # a delivery report from a null sender
]


@needs_corpus
def test_bounce_like_reports_create_no_contacts(store, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in BOUNCE_LIKE:
        shutil.copy(SISIMAI / name, folder / Path(name).name)
    report = sync.run(store, EmlDirSource(folder), me=["alex@morgan.example"])
    assert report.new + report.duplicates == len(BOUNCE_LIKE)  # the three reports share a Message-ID
    assert report.automated == report.new
    cache.update(store)
    assert contacts.contacts(store) == []
    shutil.copy(SISIMAI / "not" / "is-not-bounce-01.eml", folder / "personal.eml")  # the control: a person
    sync.run(store, EmlDirSource(folder), me=["alex@morgan.example"])
    cache.refresh(store)
    assert [c.address for c in contacts.contacts(store)]
