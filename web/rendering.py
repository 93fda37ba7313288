"""The few pages served outside Dash (sign-in, the accessibility statement): templates in
web/templates/, every value escaped, so text from a workbook is always text, never HTML."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from data_access import views
from data_access.db import session_scope
from domain.vocabulary import PRODUCT_NAME

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def render(template: str, **values) -> str:
    return _TEMPLATES.get_template(template).render(**values)


def partnership_name() -> str:
    """The partnership's name for the header, or the product's while none is known or the database is down."""
    try:
        with session_scope() as session:
            identity = views.reference_view(session).identity
    except Exception:
        return PRODUCT_NAME
    return identity.name if identity else PRODUCT_NAME
