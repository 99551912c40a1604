"""Large data set: many agencies raised actions from last year's maturity review gaps (the partnership picture).

Runs before the action plan's large step, which tops the current plan up to ``sizes.actions``.
"""

from reports.demo import _gap_actions


def seed(ctx):
    _gap_actions(ctx, agencies=max(10, ctx.sizes.agencies // 6), per_agency=3)
