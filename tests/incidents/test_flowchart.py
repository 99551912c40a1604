"""The flow chart: which steps and referrals each combination of answers requires."""

import itertools

import pytest

from incidents import flowchart
from incidents.flowchart import CEOP, IWF, LADO, POLICE, SOCIAL_CARE, assess

ALWAYS = ("record", "inform_champion", "debrief", "review", "outcome")
AGENCY_HANDLES = ("aup_sanctions", "inform_parents", "support_child")


def answers(**given):
    return {"category": "cyberbullying", **given}


# Every combination of the three main questions: (illegal, staff involved, child at risk).
@pytest.mark.parametrize(
    ("illegal", "staff", "at_risk"),
    list(itertools.product([False, True], repeat=3)),
    ids=lambda v: "yes" if v else "no",
)
def test_each_combination_of_the_main_questions(illegal, staff, at_risk):
    result = assess(answers(illegal=illegal, staff_involved=staff, child_at_risk=at_risk))
    expected_referrals = [POLICE] * illegal + [LADO] * staff + [SOCIAL_CARE] * at_risk
    assert list(result.required_referrals) == expected_referrals
    assert ("do_not_view" in result.steps) is illegal
    assert ("secure_device" in result.steps) is illegal
    assert ("report_police" in result.steps) is illegal
    assert ("refer_lado" in result.steps) is staff
    assert ("refer_social_care" in result.steps) is at_risk
    handled_in_agency = not (illegal or staff or at_risk)
    assert all((step in result.steps) is handled_in_agency for step in AGENCY_HANDLES)
    assert result.steps[-len(ALWAYS) :] == ALWAYS
    # Illegal content and a child at risk are urgent; a staff allegation alone is within one working day.
    assert result.urgent is (illegal or at_risk)


@pytest.mark.parametrize(
    ("given", "referrals", "steps"),
    [
        ({"illegal": True, "online_sexual_abuse": True}, (POLICE, CEOP), ("report_ceop",)),
        ({"illegal": True, "csam_online": True}, (POLICE, IWF), ("report_iwf",)),
        (
            {"illegal": True, "online_sexual_abuse": True, "csam_online": True},
            (POLICE, CEOP, IWF),
            ("report_ceop", "report_iwf"),
        ),
        # Sub-questions of "illegal" count only when it is illegal.
        ({"illegal": False, "online_sexual_abuse": True, "csam_online": True}, (), AGENCY_HANDLES),
    ],
    ids=["grooming-ceop", "images-iwf", "both", "not-illegal-ignores-sub-questions"],
)
def test_illegal_content_goes_to_police_and_ceop_or_iwf(given, referrals, steps):
    result = assess(answers(**given))
    assert result.required_referrals == referrals
    assert all(step in result.steps for step in steps)


@pytest.mark.parametrize("factor", list(flowchart.NUDES_FACTORS))
def test_nudes_with_any_aggravating_factor_is_referred_at_once(factor):
    result = assess({"category": "nudes", "nudes_factors": [factor]})
    assert result.required_referrals == (POLICE, SOCIAL_CARE)
    assert result.urgent
    assert "nudes_never_view" in result.steps and "nudes_refer_now" in result.steps
    assert "nudes_dsl_handles" not in result.steps
    assert not result.needs_rationale


def test_nudes_without_aggravating_factor_may_be_handled_in_the_agency_with_a_rationale():
    result = assess({"category": "nudes", "nudes_factors": []})
    assert result.required_referrals == ()
    assert not result.urgent
    assert "nudes_never_view" in result.steps and "nudes_dsl_handles" in result.steps
    assert result.needs_rationale


def test_nudes_factors_count_only_for_the_nudes_category():
    result = assess({"category": "cyberbullying", "nudes_factors": ["adult_involved"]})
    assert result.required_referrals == () and not result.needs_rationale


def test_unknown_factor_is_not_an_aggravating_factor():
    assert assess({"category": "nudes", "nudes_factors": ["made-up"]}).needs_rationale


def test_every_step_and_referral_named_by_a_rule_is_declared():
    for rule in flowchart.RULES:
        assert all(step in flowchart.STEPS for step in rule.steps)
        assert all(referral in flowchart.REFERRAL_AGENCIES for referral in rule.referrals)


def test_missing_answers_count_as_no():
    result = assess({})
    assert result.required_referrals == () and not result.urgent
    assert result.steps == AGENCY_HANDLES + ALWAYS
