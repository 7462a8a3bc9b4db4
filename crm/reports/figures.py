"""The report figures as plain values, and the arithmetic that turns day counts into them.

Definitions (shown on the report page too):
- A recipient is a participant in the "to" role of an outreach entry that was sent: not a draft
  and with a sent date. Authors, signatories, cc and attendees owe no reply.
- Response rate = recipients who replied / all recipients. "Replied" is the recipient's reply
  state as the outreach services keep it (a reply from the person, or from their organisation).
- Time to reply = the received date of the recipient's first reply minus the outreach's sent
  date, in days. The median of an even count is the mean of the two middle values.
- Outcomes count responses (not recipients) by their outcome's effect; a response without an
  outcome is "Not classified".
- Targets are the people staff named the campaign's targets. Asked: a recipient of its sent
  outreach, or one who replied to it (for the organisation that was asked, say); replied: a reply on
  its outreach. Target reply rate = targets who replied / targets asked. Across campaigns, a person
  who is a target of two campaigns counts in each.
- Supporters: who signed or wrote outreach, replied that they acted or committed, or whom staff
  named a supporter; a person counts once, whatever they did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from crm.outreach.campaign_targets import TargetCounts
from crm.taxonomy.models import OUTCOME_EFFECTS

# (label, lowest day, highest day); None: open ended.
BUCKETS = (("0–7", 0, 7), ("8–14", 8, 14), ("15–30", 15, 30), ("31–60", 31, 60), ("61–90", 61, 90), (">90", 91, None))
NO_REPLY = "No reply"
BUCKET_LABELS = tuple(label for label, _low, _high in BUCKETS) + (NO_REPLY,)
EFFECTS = (*OUTCOME_EFFECTS, None)
EFFECT_LABELS = {**OUTCOME_EFFECTS, None: "Not classified"}


def bucket_of(days: int | None) -> str:
    if days is None:
        return NO_REPLY
    for label, _low, high in BUCKETS:
        # A reply dated before the letter (a typing slip) still lands in the first bucket.
        if high is None or days <= high:
            return label
    return BUCKETS[-1][0]


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of the values a {value: how many} histogram holds, without expanding it."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)  # zero-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        found += [value for position in middle if seen <= position < seen + count]
        seen += count
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


@dataclass
class ReplyStats:
    """Recipients and their replies: counts, rate, median delay and the delay buckets."""

    recipients: int = 0
    replied: int = 0
    median_days: float | None = None
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKET_LABELS, 0))
    outcomes: dict[str | None, int] = field(default_factory=lambda: dict.fromkeys(EFFECTS, 0))

    @property
    def response_rate(self) -> float | None:
        return self.replied / self.recipients if self.recipients else None

    @property
    def responses(self) -> int:
        return sum(self.outcomes.values())

    @classmethod
    def from_days(cls, rows: Iterable[tuple[int | None, int]]) -> ReplyStats:
        """From (days to reply or None for no reply, how many recipients) rows."""
        stats = cls()
        histogram: dict[int, int] = {}
        for days, count in rows:
            if count <= 0:
                # Only two statements that saw different moments can give this: the roles held are
                # counted apart from the recipients (crm.reports.breakdowns), and on PostgreSQL staff
                # may log outreach in between. Left out, rather than the report failing; the write
                # moved the data version, so the next view counts again.
                continue
            stats.recipients += count
            stats.buckets[bucket_of(days)] += count
            if days is not None:
                stats.replied += count
                histogram[days] = histogram.get(days, 0) + count
        stats.median_days = median_of(histogram)
        return stats


@dataclass
class BreakdownRow:
    label: str
    stats: ReplyStats


@dataclass
class Breakdown:
    key: str  # kind | category | group | country | organisation | campaign
    title: str
    rows: list[BreakdownRow]


@dataclass
class MonthRow:
    month: str  # YYYY-MM
    by_kind: dict[str, int]
    replies: int

    @property
    def outreach(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class SupporterRow:
    person_id: int
    name: str
    category: str
    country: str
    signed: int
    wrote: int
    acted: int
    committed: int
    named: int = 0  # campaigns whose staff named them a supporter

    @property
    def actions(self) -> str:
        words = (("signed", self.signed), ("wrote", self.wrote), ("acted", self.acted), ("committed", self.committed))
        done = [f"{word} {count}×" for word, count in words if count]
        if self.named:
            done.append("named a supporter" if self.named == 1 else f"named a supporter by {self.named} campaigns")
        return ", ".join(done)


@dataclass
class OpenAsk:
    campaign_id: int
    campaign: str
    title: str
    of_whom: str


@dataclass
class AwaitingLine:
    outreach_id: int
    subject: str
    kind: str
    sent_on: date | None
    due_on: date | None
    party: str
    person_id: int | None
    organisation_id: int | None


@dataclass
class CampaignReport:
    campaign_id: int | None  # None: all campaigns
    title: str
    as_of: date
    totals: ReplyStats
    breakdowns: list[Breakdown]
    kinds: list[str]  # the outreach kinds of `months`, in order
    months: list[MonthRow]
    supporters: list[SupporterRow]  # the first by name, or all (see supporters_total)
    supporters_total: int
    open_asks: list[OpenAsk]
    awaiting: list[AwaitingLine]
    awaiting_total: int
    awaiting_capped: bool = False  # the total is a lower bound (the queue stops counting)
    targets: TargetCounts = field(default_factory=TargetCounts)
    named_supporters: int = 0  # of supporters_total, those staff named (outreach may show them too)

    @property
    def awaiting_label(self) -> str:
        return f"{self.awaiting_total}+" if self.awaiting_capped else str(self.awaiting_total)


@dataclass
class ScorecardRow:
    person_id: int
    name: str
    category: str
    country: str
    group: str
    asked: int
    answered: int
    acted: int  # signed or wrote an outreach entry, or replied with an "acted" outcome
    committed: int  # replied with a "committed" outcome
    median_days: float | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


@dataclass
class Scorecard:
    rows: list[ScorecardRow]
    total: int  # people matching, even when the page shows fewer
