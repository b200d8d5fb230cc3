"""The table of subcommands: each one's arguments, and the module and function that run it.

Building a parser needs only argparse, so this module imports nothing else; the module that
handles a command (with everything it needs) is imported only when that command runs.
"""

import argparse
from collections.abc import Callable
from typing import NamedTuple

Arguments = Callable[[argparse.ArgumentParser], None]


class Command(NamedTuple):
    name: str
    module: str  # imported when the command runs
    handler: str  # the function of ``module`` that takes the parsed arguments and returns the exit status
    arguments: Arguments
    help: str
    description: str | None = None
    # sendmail's own conventions (-t, -f SENDER, -oi): argparse hands every word over untouched
    own_options: bool = False


# -- options several commands share ---------------------------------------------------------


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="SQLite store (default: $OUTREACH_DB, else outreach.db in the user data directory)",
    )


def add_format_option(parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "json", "csv")) -> None:
    parser.add_argument(
        "--format", choices=choices, default=choices[0], help="output format (default: %(default)s)"
    )


def add_now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", metavar="ISO", help="evaluate as of this time, e.g. 2026-11-16T12:00:00Z (default: now)"
    )


def add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--maildir", action="append", default=[], metavar="PATH", help="a Maildir (sub-folders too)")
    parser.add_argument("--mbox", action="append", default=[], metavar="PATH", help="an mbox file")
    parser.add_argument("--eml-dir", action="append", default=[], metavar="PATH", help="a folder of .eml files")


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of at least 1")
    return value


# -- each command's arguments ----------------------------------------------------------------


def demo_arguments(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    p.add_argument("--out", metavar="FILE.html",
                   help="where to write the sample's HTML report (default: outreach-demo-report.html in the "
                   "system's temporary directory)")


def sync_arguments(p: argparse.ArgumentParser) -> None:
    add_source_options(p)
    p.add_argument("--account", metavar="NAME", help="which configured IMAP account (see OUTREACH_ACCOUNTS)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    add_db_option(p)


def skipped_arguments(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    add_format_option(p)


def reanalyse_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    add_db_option(p)


def contacts_arguments(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    add_format_option(p)
    p.add_argument("--sort", choices=("balance", "last", "strength"), default="strength",
                   help="order (default: %(default)s)")
    p.add_argument("--cold", action="store_true", help="only contacts going cold")
    p.add_argument("--owed", action="store_true", help="only contacts who gave more than they got")
    p.add_argument("--tag", metavar="TAG", help="only contacts with this tag")
    p.add_argument("--limit", type=positive, metavar="N", help="at most N contacts")
    p.add_argument("--duplicates", action="store_true",
                   help="list pairs that are likely one person (same name, or same name before the @ at related "
                   "domains), with why; merge them with 'outreach merge'")
    add_now_option(p)


def show_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("address", help="the contact's email address")
    add_db_option(p)
    add_format_option(p, ("text", "json"))
    add_now_option(p)


def tag_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("address", help="the contact's email address")
    p.add_argument("tag", help="a tag name")
    p.add_argument("--remove", action="store_true", help="remove the tag instead")
    add_db_option(p)


def cadence_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="ADDRESS|tag:NAME", help="a contact's address, or tag:NAME for everyone tagged")
    p.add_argument("every", metavar="DURATION", help="14d, 6w, 3m, 1y, or 'off'")
    add_db_option(p)


def merge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("keep", metavar="ADDRESS_A", help="the address to keep")
    p.add_argument("other", metavar="ADDRESS_B", help="the alias to fold into it")
    p.add_argument("--yes", action="store_true", help="merge even when the two names look like different people")
    add_db_option(p)


def unmerge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("alias", metavar="ADDRESS_B", help="the address that was merged into another")
    add_db_option(p)


def report_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="FILE.html", default="outreach-report.html",
                   help="where to write it (default: %(default)s)")
    p.add_argument("--open", action="store_true", help="open it in your web browser afterwards")
    add_now_option(p)
    add_db_option(p)


def lint_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="draft files (.eml or text), or - for standard input")
    p.add_argument("--to", metavar="ADDRESS", help="recipient, for plain-text drafts (overrides To in .eml)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--select", action="append", default=[], metavar="CODES",
                   help="only these rules: code prefixes (OUT1, OUT302), categories or slugs; comma-separated")
    p.add_argument("--ignore", action="append", default=[], metavar="CODES",
                   help="skip these rules (same forms as --select)")
    p.add_argument("--fail-on", choices=("info", "warning", "error"), default="error",
                   help="lowest severity that makes the exit status 1 (default: error)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--no-context", action="store_true", help="do not read the store for recipient context")
    add_db_option(p)


def rules_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    rules_sub = p.add_subparsers(dest="rules_command", metavar="explain", help="explain one rule")
    explain = rules_sub.add_parser("explain", help="what a rule checks, why, how to fix, examples")
    explain.add_argument("code", metavar="CODE", help="rule code (OUT101) or slug (money-ask-large)")


def suggest_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=positive, metavar="N", help="at most N suggestions (default: the weekly budget)")
    add_format_option(p, ("text", "json"))
    p.add_argument("--now", metavar="ISO", help="pretend it is this time, e.g. 2026-11-16T12:00:00Z")
    p.add_argument("--out", metavar="DIR", help="also write each draft as an .eml file into DIR (never overwrites)")
    p.add_argument("--to-drafts", action="store_true",
                   help="also put each draft in the IMAP Drafts folder (once: never appended twice)")
    p.add_argument("--account", metavar="NAME", help="IMAP account for --to-drafts (default: the only one)")
    mute = p.add_mutually_exclusive_group()
    mute.add_argument("--dismiss", metavar="ADDRESS",
                      help="stop suggesting this contact until you are in touch with them again")
    mute.add_argument("--snooze", nargs=2, metavar=("ADDRESS", "DURATION"),
                      help="stop suggesting this contact for a while, e.g. --snooze sam@example.org 30d")
    mute.add_argument("--restore", metavar="ADDRESS", help="undo a --dismiss or --snooze")
    add_db_option(p)


def templates_arguments(p: argparse.ArgumentParser) -> None:
    add_format_option(p)


def render_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", metavar="TEMPLATE", help="template name (see 'outreach templates')")
    p.add_argument("--to", required=True, metavar="ADDRESS", help="recipient, e.g. 'Priya Raman <priya@x.org>'")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="set a template variable (repeatable)")
    p.add_argument("--out", metavar="DIR", help="write the draft as an .eml file into DIR (never overwrites)")
    p.add_argument("--to-drafts", action="store_true",
                   help="put the draft in your Drafts folder, IMAP or OUTREACH_MAILDIR (once: never twice)")
    p.add_argument("--account", metavar="NAME", help="IMAP account for --to-drafts (default: the only one)")
    add_db_option(p)


def send_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("draft", metavar="DRAFT.eml", help="the draft to send")
    p.add_argument("--yes", action="store_true", help="send without asking (you have read the draft)")
    p.add_argument("--force", action="store_true",
                   help="send even if the linter reports errors or this draft was already sent")
    p.add_argument("--account", metavar="NAME", help="IMAP account whose Sent folder gets the copy")
    add_db_option(p)


def sendmail_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("words", nargs=argparse.REMAINDER, metavar="MTA ARGS",
                   help="sendmail arguments: [-t] [-f SENDER] [-i] [-oi] [--] [RECIPIENT ...]")


def daemon_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--maildir", action="append", default=[], metavar="PATH", help="a Maildir instead of IMAP")
    p.add_argument("--mbox", action="append", default=[], metavar="PATH", help="an mbox file instead of IMAP")
    p.add_argument("--eml-dir", action="append", default=[], metavar="PATH", help="a folder of .eml files")
    p.add_argument("--account", action="append", default=[], metavar="NAME",
                   help="serve only this IMAP account (repeatable; default: all of OUTREACH_ACCOUNTS)")
    p.add_argument("--interval", metavar="DURATION",
                   help="time between syncs, e.g. 30s, 15m (OUTREACH_DAEMON_INTERVAL)")
    p.add_argument("--no-idle", action="store_true", help="do not use IMAP IDLE; wait for the next interval")
    p.add_argument("--once", action="store_true", help="run one round (sync, drafts, digest) and exit: for cron")
    p.add_argument("--verbose", "-v", action="store_true", help="log every round, not only news")
    add_db_option(p)


def status_arguments(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    add_format_option(p, ("table", "json"))


def no_arguments(p: argparse.ArgumentParser) -> None:
    pass


# -- the table, in the order of --help --------------------------------------------------------

COMMANDS: tuple[Command, ...] = (
    Command(
        "demo", "outreach.cli.demo", "run_demo", demo_arguments,
        help="sync the bundled sample mailbox and show what outreach does with it",
        description="Sync the bundled sample Maildir into a throw-away store (or --db) and walk through "
        "relationships, draft lint and this week's suggestions. Nothing touches your own mail.",
    ),
    Command(
        "sync", "outreach.cli.sync", "run_sync", sync_arguments,
        help="read new mail from a local mailbox or the IMAP account into the store",
        description="Read new mail into the store. Without a path option, the configured IMAP account "
        "is used. Paths may be repeated. Only what is new since the last run is read.",
    ),
    Command(
        "skipped", "outreach.cli.sync", "run_skipped", skipped_arguments,
        help="list messages that could not be ingested, and why",
    ),
    Command(
        "reanalyse", "outreach.cli.reanalyse", "run_reanalyse", reanalyse_arguments,
        help="find the acts of stored mail again (sync does it by itself when the detector changed)",
        description="Read every stored message body again with the current act detector, replace the acts "
        "that changed and rebuild the relationship figures. Exit status 1 when some messages have no stored "
        "body (metadata-only mode) and keep the acts found when they were synced; 2 when none has one.",
    ),
    Command(
        "contacts", "outreach.cli.network", "run_contacts", contacts_arguments,
        help="list the people you really correspond with: strength, last contact, cadence, favour balance",
        description="List contacts from personal mail (newsletters, notifications and role addresses are left "
        "out), strongest first. Strength decays with time; 'cold' means silent well past the usual cadence; "
        "a negative balance means they have done more for you than you for them.",
    ),
    Command(
        "show", "outreach.cli.network", "run_show", show_arguments,
        help="one contact: strength, cadence, the favour ledger with evidence, referrals both ways",
        description="Show what the store knows about one contact (or a merged alias): the figures, every "
        "ask, give, thanks and introduction with its date and the sentence that shows it, and referrals.",
    ),
    Command(
        "tag", "outreach.cli.network", "run_tag", tag_arguments,
        help="tag a contact (e.g. family, mentors)", description="Add (or --remove) a tag.",
    ),
    Command(
        "cadence", "outreach.cli.network", "run_cadence", cadence_arguments,
        help="set how often you want to be in touch with a contact or a tag",
        description="Override the learned cadence: e.g. 'outreach cadence tag:family 14d' or "
        "'outreach cadence ana@example.com 6w'. A contact counts as cold once silent longer than this. "
        "'off' removes the override. Units: d, w, m (30 days), y.",
    ),
    Command(
        "merge", "outreach.cli.merge", "run_merge", merge_arguments,
        help="treat two addresses as one person (survives later syncs)",
        description="Merge ADDRESS_B into ADDRESS_A: from now on mail to or from either counts for A, and B's "
        "tags and cadence move to A.",
    ),
    Command(
        "unmerge", "outreach.cli.merge", "run_unmerge", unmerge_arguments,
        help="undo a merge: the address is its own contact again",
        description="Undo 'outreach merge A B': B counts as its own contact again (tags and "
        "cadence that moved to A at the merge stay with A).",
    ),
    Command(
        "report", "outreach.cli.report", "run_report", report_arguments,
        help="write an HTML report of your network: who is going cold, favour balances, introductions",
        description="Write one self-contained HTML file (inline SVG and CSS, no script, nothing fetched when "
        "opened): the network at a glance with due dates, balance over time for your strongest ties with the "
        "evidence, who introduced whom with the thank-yous still owed, and this week's suggestions with their "
        "notes.",
    ),
    Command(
        "lint", "outreach.cli.lint", "run_lint", lint_arguments,
        help="check drafts before sending: asks that are too big, presumptuous, one-sided or unclear",
        description="Lint drafts (.eml or plain text; '-' reads standard input). With a store, rules also "
        "use what outreach knows about the recipient (the To header, or --to). Exit status: 0 clean, "
        "1 findings at or above --fail-on, 2 usage or input error.",
    ),
    Command(
        "rules", "outreach.cli.rules", "run_rules", rules_arguments,
        help="list the lint rules, or explain one", description="List the lint rules.",
    ),
    Command(
        "suggest", "outreach.cli.suggest", "suggest_command", suggest_arguments,
        help="who to reach out to this week, why, and a give-first draft for each",
        description="Rank contacts to reach out to this week (referrers owed thanks, ties going cold, people "
        "you owe) and render a note for each. Asking again in the same week shows the same people; "
        "OUTREACH_SUGGEST_BUDGET (default 5) caps how many are suggested per week.",
    ),
    Command(
        "templates", "outreach.cli.deliver", "templates_command", templates_arguments,
        help="list the note templates (the library and your own)",
        description="List the note templates. Your own templates in OUTREACH_TEMPLATES_DIR "
        "override library ones of the same name.",
    ),
    Command(
        "render", "outreach.cli.deliver", "render_command", render_arguments,
        help="fill a template for one contact; print it or write an .eml",
        description="Fill TEMPLATE with what the store knows of the contact (first name, "
        "last subject, referrer, ...); --var values always win.",
    ),
    Command(
        "send", "outreach.cli.deliver", "send_command", send_arguments,
        help="lint a draft .eml, show it, and send it over SMTP after you confirm",
        description="Lint DRAFT.eml, show it, ask for confirmation, then send it with the "
        "OUTREACH_SMTP_* settings. Without a terminal and without --yes this is a dry run.",
    ),
    Command(
        "sendmail", "outreach.cli.sendmail", "sendmail_command", sendmail_arguments, own_options=True,
        help="a sendmail-compatible filter: lint the message on stdin, then hand it to your MTA",
        description="Lint the message on standard input like 'outreach lint'; refuse it (exit 65) on an "
        "error finding, else hand it to $OUTREACH_SENDMAIL with the same recipients.",
    ),
    Command(
        "daemon", "outreach.cli.daemon", "run_daemon", daemon_arguments,
        help="keep running: sync new mail, lint drafts, weekly digest (logs to stderr)",
        description="Run in the foreground until SIGTERM/SIGINT. Every interval it syncs the configured IMAP "
        "account(s) - or the local mailboxes given here - refreshes contacts, lints new or changed drafts, and "
        "sends the weekly digest to you. With IMAP IDLE, new INBOX mail is read within seconds. "
        "Nothing is sent, deleted, moved or marked read.",
    ),
    Command(
        "status", "outreach.cli.status", "run_status", status_arguments,
        help="what the daemon did last: syncs, errors, drafts with findings, next digest",
        description="Show the last successful sync per source and folder, messages and contacts known, the "
        "last error, drafts with lint findings and when the next weekly digest is due.",
    ),
    Command(
        "config", "outreach.cli.settings", "run_config", no_arguments,
        help="show the settings in effect and where each came from (secrets masked)",
        description="Show every OUTREACH_ setting in effect, the place it was read from (the environment, "
        "./.env or $OUTREACH_ENV_FILE, $XDG_CONFIG_HOME/outreach/config: the first that sets it wins), "
        "and where outreach keeps its files. Passwords and tokens are masked.",
    ),
)
