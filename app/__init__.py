"""The composition root: the one place that reads settings and wires the coach together.

The terminal (`cli/`) and the Discord bot (`bot/`) both build their service here.
"""
