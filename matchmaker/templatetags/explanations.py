"""`components|deciding`: what decided a match's rank, in one line."""

from django import template

from matchmaker.matching import explain

register = template.Library()
register.filter("deciding", explain.deciding)
