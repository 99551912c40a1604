"""Small data files several tests share."""

# An audit template with one yes/no question, for tests about cycles rather than templates.
TINY_AUDIT_TEMPLATE = """
slug: tiny
name: Tiny audit
kind: checklist
sections:
  - key: policy
    title: Policy
    questions:
      - key: policy_in_place
        text: Do you have an e-safety policy?
        kind: yes_no
        required: true
        gap_when: "no"
"""
