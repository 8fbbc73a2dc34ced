"""Discord adapter (cogs, views, modals) over `coaching.service.CoachService`.

Arrives with its issue.
"""
