"""The money formatting of `matchmaker.money`, as template filters."""

from django import template

from matchmaker import money
from matchmaker.vocabulary import instrument_label

register = template.Library()
register.filter("rmb", money.rmb)
register.filter("rmb_short", money.rmb_short)
register.filter("percent", money.percent)
register.filter("instrument_label", instrument_label)
register.filter("listing", money.listing)
