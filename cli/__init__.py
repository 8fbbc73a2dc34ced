"""The terminal adapter: `repair-coach coach`, `repair-coach chat`, over the same CoachService."""
