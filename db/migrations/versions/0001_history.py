"""The history: people and their settings, reports, patterns seen, phrasings offered.

Revision ID: 0001_history
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_history"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history", sa.Boolean(), nullable=False),
        sa.Column("tone", sa.String(length=16), nullable=True),
        sa.Column("other_name", sa.LargeBinary(), nullable=False),
        sa.Column("keep_text", sa.Boolean(), nullable=False),
        sa.Column("check_ins", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_profile")),
        sa.UniqueConstraint("user_hash", name=op.f("uq_user_profile_user_hash")),
    )
    op.create_table(
        "rupture_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(length=128), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("safety", sa.String(length=32), nullable=False),
        sa.Column("safety_check_asked", sa.Boolean(), nullable=False),
        sa.Column("rupture", sa.Boolean(), nullable=False),
        sa.Column("writer_role", sa.String(length=16), nullable=True),
        sa.Column("moment", sa.String(length=64), nullable=True),
        sa.Column("classifier", sa.String(length=16), nullable=False),
        sa.Column("picked", sa.String(length=16), nullable=True),
        sa.Column("rating", sa.String(length=16), nullable=True),
        sa.Column("story_token", sa.LargeBinary(), nullable=True),
        sa.Column("evidence_token", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_rupture_report_user_id_user_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rupture_report")),
        sa.UniqueConstraint(
            "user_id", "report_id", name=op.f("uq_rupture_report_user_id_report_id")
        ),
    )
    op.create_index(
        "ix_rupture_report_user_id_reported_at",
        "rupture_report",
        ["user_id", "reported_at"],
        unique=False,
    )
    op.create_index(
        "ix_rupture_report_reported_at", "rupture_report", ["reported_at"], unique=False
    )
    op.create_table(
        "report_pattern",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.String(length=64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("by", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["rupture_report.id"],
            name=op.f("fk_report_pattern_report_id_rupture_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "position", name=op.f("pk_report_pattern")),
    )
    op.create_table(
        "offered_phrasing",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("style", sa.String(length=16), nullable=False),
        sa.Column("template", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("text_token", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["rupture_report.id"],
            name=op.f("fk_offered_phrasing_report_id_rupture_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profile.id"],
            name=op.f("fk_offered_phrasing_user_id_user_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "position", name=op.f("pk_offered_phrasing")),
    )
    op.create_index(
        "ix_offered_phrasing_user_id_text_hash",
        "offered_phrasing",
        ["user_id", "text_hash"],
        unique=False,
    )
    op.create_table(
        "history_key_check",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("check_value", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_key_check")),
    )


def downgrade() -> None:
    op.drop_table("history_key_check")
    op.drop_index("ix_offered_phrasing_user_id_text_hash", table_name="offered_phrasing")
    op.drop_table("offered_phrasing")
    op.drop_table("report_pattern")
    op.drop_index("ix_rupture_report_reported_at", table_name="rupture_report")
    op.drop_index("ix_rupture_report_user_id_reported_at", table_name="rupture_report")
    op.drop_table("rupture_report")
    op.drop_table("user_profile")
