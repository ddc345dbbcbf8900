"""Widgets of the search form, written in Python rather than through Django's widget templates.

The search page renders nine fields on every request, and an archive of many election periods has dozens of
committees (the committee and authority selects): a select of 41 options took 1.35 ms through Django's option
templates and 0.41 ms written with format_html, and the whole form through templates cost 1.5–2 ms more per
page than the hand-written form it replaces (benchmark VM, Django 5.2). These write the markup Django's templates
write (attributes sorted, id and value first), escaped by format_html; the form still decides the options, the
value and the attributes.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class QuickInput:
    """Mixin for an input widget: the markup of Django's input template, written by format_html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attrs = dict(widget["attrs"])
        # flatatt sorts attributes by name and leaves out None: id and value are written first, for readability.
        leading = flatatt({"id": attrs.pop("id", None)}) + flatatt({"value": widget["value"]})
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], leading, flatatt(attrs))


class QuickSearchInput(QuickInput, forms.SearchInput):
    pass


class QuickDateInput(QuickInput, forms.DateInput):
    """A date picker: `type="date"`, the value as the browser sends it (ISO)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickNumberInput(QuickInput, forms.NumberInput):
    pass


class QuickSelect(forms.Select):
    """A select with the options, choice and attributes Django's would have, written by format_html."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options, selected = [], False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)  # grouped choices: Django's own markup
            option_value = "" if option_value is None else str(option_value)
            # Like Django's single select: only the first option with the chosen value is selected.
            is_chosen = not selected and option_value in chosen
            selected = selected or is_chosen
            options.append((option_value, mark_safe(" selected") if is_chosen else "", label))
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("\n", '<option value="{}"{}>{}</option>', options),
        )


class MemberInput(QuickInput, forms.TextInput):
    """The member field: a text input and the datalist static/js/site.js fills with names as one types."""

    list_id = "member-suggestions"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "list": self.list_id,
                "autocomplete": "off",
                "placeholder": _("Alle · skriv et navn"),
                "data-suggestions": reverse_lazy("web:members"),
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}\n<datalist id="{}"></datalist>', super().render(name, value, attrs, renderer), self.list_id
        )
