"""The Discord bot: check-ins, rate-limit events, per-person flags, server settings, state.

Revision ID: 0002_bot
Revises: 0001_history
Create Date: 2025-06-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_bot"
down_revision: str | None = "0001_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_check_in",
        sa.Column("report_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("discord_user_id", sa.BigInteger(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["rupture_report.id"],
            name=op.f("fk_bot_check_in_report_id_rupture_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_bot_check_in_user_id_user_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_bot_check_in")),
    )
    op.create_index(
        "ix_bot_check_in_claimed_at_due_at",
        "bot_check_in",
        ["claimed_at", "due_at"],
        unique=False,
    )
    op.create_index("ix_bot_check_in_user_id", "bot_check_in", ["user_id"], unique=False)
    op.create_table(
        "bot_rate_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_bot_rate_event_user_id_user_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_rate_event")),
    )
    op.create_index(
        "ix_bot_rate_event_user_id_at", "bot_rate_event", ["user_id", "at"], unique=False
    )
    op.create_table(
        "bot_flag",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_bot_flag_user_id_user_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "flag", name=op.f("pk_bot_flag")),
    )
    op.create_table(
        "bot_guild",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=64), nullable=False),
        sa.Column("guide_channel_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_bot_guild")),
    )
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_bot_state")),
    )


def downgrade() -> None:
    op.drop_table("bot_state")
    op.drop_table("bot_guild")
    op.drop_table("bot_flag")
    op.drop_index("ix_bot_rate_event_user_id_at", table_name="bot_rate_event")
    op.drop_table("bot_rate_event")
    op.drop_index("ix_bot_check_in_user_id", table_name="bot_check_in")
    op.drop_index("ix_bot_check_in_claimed_at_due_at", table_name="bot_check_in")
    op.drop_table("bot_check_in")
