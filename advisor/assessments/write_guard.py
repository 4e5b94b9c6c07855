"""One rule for every write to an assessment: which writes its state allows.

Every write service in ``services.py`` and ``usage.py`` takes the row with
:func:`writable` (``select_for_update``, then :func:`check_write`), so the
state is checked on the very row the write changes, inside its transaction:
a view cannot forget it, and a lock set between the page load and the post
still holds. A refused write raises :class:`WriteRefused` before anything is
written; ``advisor.assessments.middleware`` turns it into a redirect with
its message, never a 500.

The states (:func:`state_of`):

- ``open``: in progress, never delivered (a result was never stored);
- ``changed``: in progress again after delivery (the buyer edited answers;
  the delivered result is kept until they complete again);
- ``delivered``: completed, its result stored;
- ``locked``: delivered, then locked by its consultant: the buyer's side is
  read-only until the consultant unlocks it.

There is no archived assessment: archiving is a ruleset's state, and an
assessment on an archived ruleset (every one started before the last
publish) is finished on that version (design.md, "Rulesets are
versioned"), so the ruleset's state does not refuse a write.
"""

from __future__ import annotations

from enum import StrEnum

from advisor.assessments.models import Assessment


class Write(StrEnum):
    """What a service writes. Named for the guard's table, not for the view."""

    ANSWERS = "answers"  # a step saved, usage figures accepted into the answers
    USAGE_IMPORT = "usage_import"  # figures derived from an upload, or discarded
    REPORT_TITLE = "report_title"  # the buyer's title for the report cover
    COMPLETE = "complete"  # score the answers, store the result
    NOTES = "notes"  # the consultant's private notes
    RESCORE = "rescore"  # the consultant re-scores with today's ruleset and prices
    LOCK = "lock"
    UNLOCK = "unlock"
    REQUEST_NEW_VERSION = "request_new_version"  # the buyer of a locked assessment asks
    SCENARIO_ADD = "scenario_add"  # a named variant scored beside the delivered result
    SCENARIO_REMOVE = "scenario_remove"


class State(StrEnum):
    OPEN = "open"
    CHANGED = "changed"
    DELIVERED = "delivered"
    LOCKED = "locked"


_BUYER_EDITS = frozenset({State.OPEN, State.CHANGED, State.DELIVERED})
_EVERY_STATE = frozenset(State)

# Which states allow each write. A buyer's edit is allowed until the
# assessment is locked (editing a delivered one returns it to "changed";
# the delivered result stays in the history). The consultant's notes and
# unlocking are always allowed; locking and re-scoring need a result.
ALLOWED: dict[Write, frozenset[State]] = {
    Write.ANSWERS: _BUYER_EDITS,
    Write.USAGE_IMPORT: _BUYER_EDITS,
    Write.REPORT_TITLE: _BUYER_EDITS,
    Write.COMPLETE: _BUYER_EDITS,
    Write.NOTES: _EVERY_STATE,
    Write.RESCORE: frozenset({State.DELIVERED, State.LOCKED}),
    Write.LOCK: frozenset({State.DELIVERED, State.LOCKED}),
    Write.UNLOCK: _EVERY_STATE,
    Write.REQUEST_NEW_VERSION: frozenset({State.LOCKED}),
    # A variant is compared with the delivered result; removing one needs none.
    Write.SCENARIO_ADD: frozenset({State.DELIVERED}),
    Write.SCENARIO_REMOVE: _BUYER_EDITS,
}

LOCKED_MESSAGE = (
    "Your consultant has locked this assessment, so nothing was changed. "
    "You can ask them for a new version below."
)
_REFUSALS: dict[Write, str] = {
    Write.RESCORE: "Only a completed assessment can be re-scored.",
    Write.LOCK: "Only a completed assessment can be locked.",
    Write.SCENARIO_ADD: "Only a completed assessment can be compared with scenarios.",
    Write.REQUEST_NEW_VERSION: (
        "This assessment is not locked, so there is no new version to ask for: "
        "you can change the answers yourself."
    ),
}


class WriteRefused(Exception):
    """The assessment's state does not allow this write; nothing was written."""

    def __init__(self, *, token: str, write: Write, state: State) -> None:
        self.token = token
        self.write = write
        self.state = state
        self.message = LOCKED_MESSAGE if state is State.LOCKED else _REFUSALS.get(write, "")
        if not self.message:
            self.message = f"This assessment is {state.value}: nothing was changed."
        super().__init__(self.message)


def state_of(assessment: Assessment) -> State:
    # Locked first: a row damaged before this guard existed (locked, yet sent
    # back to "in progress") is still read-only.
    if assessment.is_locked:
        return State.LOCKED
    if assessment.is_completed and assessment.has_stored_result:
        return State.DELIVERED
    return State.CHANGED if assessment.has_stored_result else State.OPEN


def check_write(assessment: Assessment, write: Write) -> None:
    """Raise :class:`WriteRefused` unless the assessment's state allows ``write``.

    On a row read without a lock (a view deciding early not to read an
    upload) this is only a shortcut; the services check the locked row.
    """
    state = state_of(assessment)
    if state not in ALLOWED[write]:
        raise WriteRefused(token=assessment.token, write=write, state=state)


def writable(assessment: Assessment, write: Write, *, with_ruleset: bool = False) -> Assessment:
    """The assessment's row, locked for this transaction, once ``write`` is allowed on it.

    Call inside ``transaction.atomic``: the lock and the check hold until the write commits.
    """
    rows = Assessment.objects.select_for_update()
    if with_ruleset:
        rows = rows.select_related("ruleset")
    locked = rows.get(pk=assessment.pk)
    check_write(locked, write)
    return locked
