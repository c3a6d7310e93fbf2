"""``flask --app voice deliver``: the outbox worker, a separate process from the web app."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from voice.extensions import db
from voice.routing import notifications, outbox

log = logging.getLogger(__name__)


@click.command("deliver")
@click.option("--once", is_flag=True, help="Deliver everything that is due, print a summary and exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=5.0,
    show_default=True,
    help="Seconds to wait between rounds when running as a worker.",
)
@with_appcontext
def deliver_command(once: bool, interval: float) -> None:
    """Deliver due notifications from the outbox; without --once, keep running until stopped."""
    notifications.wording()  # a broken wording file stops the worker now, not on the first message
    if once:
        housekeeping()
        click.echo(outbox.drain().summary())
        return
    stop = threading.Event()
    click.echo(f"outbox worker: delivering every {interval:g}s (SIGTERM or Ctrl+C to stop)")
    with _stop_on_signals(stop):
        while not stop.is_set():
            _round()
            stop.wait(interval)
    click.echo("outbox worker: stopped")


def housekeeping() -> None:
    """Work that must happen on a clock, done by the same worker so nothing needs cron:
    escalate unacknowledged safeguarding alerts, queue reminders for unread items, open review
    consultations that are due (voice/reviews/schedule.py), and seal the audit trail's hash chain.
    All of them only add rows, which this round then delivers or keeps."""
    from voice import audit_chain
    from voice.inbox import reminders
    from voice.reviews import schedule
    from voice.safeguarding import escalation

    escalation.escalate_due()
    reminders.send_due()
    audit_chain.seal()
    if time.monotonic() - _schedule_ran_at[0] >= SCHEDULE_EVERY_SECONDS:
        schedule.run()  # review consultations and reminders; idempotent, so a rerun is harmless
        _schedule_ran_at[0] = time.monotonic()


# The review calendar works in whole days, so once an hour is plenty; every 5-second round
# would re-read every upcoming review for nothing. ``--once`` always runs it.
SCHEDULE_EVERY_SECONDS = 3600.0
_schedule_ran_at = [float("-inf")]


def _round() -> None:
    """One round that survives a database outage: the next round tries again."""
    try:
        housekeeping()
        report = outbox.drain()
    except SQLAlchemyError:
        log.exception("outbox worker: database error; trying again next round")
        return
    finally:
        db.session.remove()
    if report.handled or report.requeued:
        click.echo(report.summary())


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Finish the message in hand, then stop, on SIGTERM (systemd, Docker) or SIGINT."""

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
