"""The coaching domain: safety screen, classifiers, phrasings and the service adapters call.

No Discord, SQL or settings imports here; adapters depend on this package, never the reverse.
"""
