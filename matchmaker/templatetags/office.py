from django import template

from matchmaker.operator.menu import office_pages as _office_pages

register = template.Library()


@register.simple_tag
def office_pages() -> list[dict]:
    """The programme office's pages for its menu and landing page."""
    return _office_pages()
