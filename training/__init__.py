"""Offline training of the coach's small models: scripts and labelled data.

Never imported at run time; `python -m training` writes the weights the runtime loads.
"""
