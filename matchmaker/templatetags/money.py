"""The money formatting of `matchmaker.money`, as template filters."""

from django import template

from matchmaker import money

register = template.Library()
register.filter("rmb", money.rmb)
register.filter("rmb_short", money.rmb_short)
register.filter("percent", money.percent)
register.filter("instrument_label", money.instrument_label)
register.filter("listing", money.listing)
