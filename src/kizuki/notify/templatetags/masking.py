"""`{% load masking %}{{ address|masked }}`: an address as it may be shown (notify.masking)."""

from django import template

from kizuki.notify import masking

register = template.Library()
register.filter("masked", masking.masked)
