"""Whether a meeting was quorate, in words: the one place the rule is applied."""

from dataclasses import dataclass


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool | None  # None: not judged (not held yet, cancelled, attendance not recorded)
    reason: str

    @property
    def label(self) -> str:
        if self.quorate is None:
            return "Not judged"
        return "Quorate" if self.quorate else "Not quorate"


def judge(*, members_present: int, co_chairs_present: int, rules) -> QuorumResult:
    """Apply the rule to the members (core and associate) and co-chairs present."""
    needed = rules.min_members_present
    enough = members_present >= needed
    chair_ok = co_chairs_present > 0 or not rules.co_chair_required
    members = f"{members_present} member{'s' if members_present != 1 else ''} present ({needed} needed)"
    if enough and chair_ok:
        chair = ", including a co-chair" if co_chairs_present else ""
        return QuorumResult(True, f"Quorate: {members}{chair}.")
    problems = []
    if not enough:
        problems.append(f"only {members}")
    if not chair_ok:
        problems.append("no co-chair present")
    return QuorumResult(False, "Not quorate: " + " and ".join(problems) + ".")


def judge_meeting(meeting, rules, *, today=None) -> QuorumResult:
    """For a meeting annotated with ``members_present``, ``co_chairs_present`` and ``attendance_recorded``."""
    from django.utils import timezone

    if meeting.cancelled_at is not None:
        return QuorumResult(None, "Cancelled.")
    if meeting.held_on > (today or timezone.localdate()):
        return QuorumResult(None, "Not held yet.")
    if not meeting.attendance_recorded:
        return QuorumResult(None, "Attendance not recorded yet.")
    return judge(members_present=meeting.members_present, co_chairs_present=meeting.co_chairs_present, rules=rules)
