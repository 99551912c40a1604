from django import template

register = template.Library()

# Bootstrap badge colours for the Telford & Wrekin key; the word is always printed beside them.
RAG_BADGES = {
    "red": "text-bg-danger",
    "amber": "text-bg-warning",
    "green": "text-bg-success",
    "blue": "text-bg-primary",
}


@register.filter
def rag_badge(status: str) -> str:
    return RAG_BADGES.get(status, "text-bg-secondary")
