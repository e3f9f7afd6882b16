"""A drop-down written in Python, for the match list's filter form (issue #26).

Django renders each `<option>` of a select through its own widget template: the filter
form's offering drop-down (one option per offering, some hundred and twenty at a large
institution) made the form about a fifth of an uncached list page's time. `FastSelect`
writes the same HTML as Django's Jinja2 widget templates (`FORM_RENDERER`), escaped as
they escape it (MarkupSafe), byte for byte (`tests/matchmaker/review/test_fast_select.py`).
"""

from django import forms
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: `False` leaves the attribute out, `True` writes
    its name alone."""
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            written.append(f" {escape(name)}")
        else:
            written.append(f' {escape(name)}="{escape(value)}"')
    return "".join(written)


class FastSelect(forms.Select):
    """`forms.Select`, its templates (select.html, select_option.html) written out."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{escape(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{escape(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{escape(option['label'])}</option>"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))
