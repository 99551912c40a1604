"""Incidents are deliberately not in the Django admin site.

Their details are for the reporter, the agency's champions and the safeguarding leads they are
escalated to; administrators see the anonymised monitoring figures like the board.
"""
