"""A person's history with the coach: what is recorded per report, their settings, and the
port (`coaching.ports.HistoryStore`) a database adapter implements."""
