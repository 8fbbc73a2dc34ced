"""The history's tables (SQLAlchemy 2.0 declarative). The schema itself comes only from the
Alembic migrations in `db/migrations/`; a test checks that they and these models agree.

What is stored, and how:
- `user_profile`: one row per person, found by a keyed hash of their user id (the id itself is
  never stored), with their settings. The other person's name is the one piece of free text
  stored as given (the person typed it for that use).
- `rupture_report`: one row per story: labels only (time, safety, whether a safety check was
  asked, rupture, writer's role, moment, classifier, the style picked and the rating). The
  story and its evidence spans only as Fernet tokens, and only under `keep_text`.
- `report_pattern`: the patterns seen in a report, with confidence and who did them.
- `offered_phrasing`: the phrasings offered: style, template id and a keyed hash of the text
  (for the no-repeat rule); the text only as a Fernet token, and only under `keep_text`.
- `history_key_check`: one row telling which hash key wrote the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH_LENGTH = 64  # hex of HMAC-SHA256
REPORT_ID_LENGTH = 128


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on both databases (SQLite keeps it as naive UTC text,
    in one fixed format, so comparisons in SQL stay correct)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class AnyText(TypeDecorator[str]):
    """Free text a person typed, kept as UTF-8 bytes, so anything (a NUL, a lone surrogate)
    round-trips on PostgreSQL too, whose text type refuses NUL."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else value.encode("utf-8", "surrogatepass")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else bytes(value).decode("utf-8", "surrogatepass")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserProfile(Base):
    __tablename__ = "user_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    history: Mapped[bool] = mapped_column(Boolean, default=True)
    tone: Mapped[str | None] = mapped_column(String(16))
    other_name: Mapped[str] = mapped_column(AnyText, default="")
    keep_text: Mapped[bool] = mapped_column(Boolean, default=False)
    check_ins: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(AnyText, default="")

    reports: Mapped[list[RuptureReport]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class RuptureReport(Base):
    __tablename__ = "rupture_report"
    __table_args__ = (
        UniqueConstraint("user_id", "report_id"),
        Index("ix_rupture_report_user_id_reported_at", "user_id", "reported_at"),
        Index("ix_rupture_report_reported_at", "reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_profile.id", ondelete="CASCADE"))
    report_id: Mapped[str] = mapped_column(String(REPORT_ID_LENGTH))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    safety: Mapped[str] = mapped_column(String(32))
    safety_check_asked: Mapped[bool] = mapped_column(Boolean)
    rupture: Mapped[bool] = mapped_column(Boolean)
    writer_role: Mapped[str | None] = mapped_column(String(16))
    moment: Mapped[str | None] = mapped_column(String(64))
    classifier: Mapped[str] = mapped_column(String(16))
    picked: Mapped[str | None] = mapped_column(String(16))
    rating: Mapped[str | None] = mapped_column(String(16))
    story_token: Mapped[bytes | None] = mapped_column(LargeBinary)
    evidence_token: Mapped[bytes | None] = mapped_column(LargeBinary)

    user: Mapped[UserProfile] = relationship(back_populates="reports")
    patterns: Mapped[list[ReportPattern]] = relationship(
        order_by="ReportPattern.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )
    offered: Mapped[list[OfferedPhrasing]] = relationship(
        order_by="OfferedPhrasing.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )


class ReportPattern(Base):
    __tablename__ = "report_pattern"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("rupture_report.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    pattern: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    by: Mapped[str] = mapped_column(String(16))


class OfferedPhrasing(Base):
    __tablename__ = "offered_phrasing"
    __table_args__ = (Index("ix_offered_phrasing_user_id_text_hash", "user_id", "text_hash"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("rupture_report.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The owner again, so the no-repeat lookup is one indexed probe per person.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_profile.id", ondelete="CASCADE"))
    style: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    text_token: Mapped[bytes | None] = mapped_column(LargeBinary)


class HistoryKeyCheck(Base):
    __tablename__ = "history_key_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    check_value: Mapped[str] = mapped_column(String(HASH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- The Discord bot's tables (db/bot_store.py implements bot/ports.py on them) ---------------
#
# - `bot_check_in`: the check-in after a report (one per report). The person's Discord id is
#   kept only while the check-in is pending, since the bot needs it to write to them unprompted;
#   claiming the check-in clears it. Then the outcome the person gave, if any.
# - `bot_rate_event`: one row per coaching counted by the rate limit, kept only for its window.
# - `bot_flag`: person-level facts the bot acts on once (greeted, told their DMs are closed).
# - `bot_guild`: a server's settings (about no person).
# - `bot_state`: small deployment-wide values (the last command payload synced).
#
# Every row about a person references `user_profile` with ON DELETE CASCADE, so the history
# store's `forget` deletes it in the same transaction; a check-in also references its report,
# so the retention purge takes it with the report.

OUTCOME_LENGTH = 16
FLAG_LENGTH = 32
GUILD_LOCALE_LENGTH = 64
STATE_KEY_LENGTH = 200


class BotCheckIn(Base):
    __tablename__ = "bot_check_in"
    __table_args__ = (
        # The claim query: pending (unclaimed) rows by due time. Claimed rows stay for their
        # outcome, so an index on due_at alone would walk every past check-in on each poll.
        Index("ix_bot_check_in_claimed_at_due_at", "claimed_at", "due_at"),
        Index("ix_bot_check_in_user_id", "user_id"),
    )

    report_id: Mapped[int] = mapped_column(
        ForeignKey("rupture_report.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_profile.id", ondelete="CASCADE"))
    discord_user_id: Mapped[int | None] = mapped_column(BigInteger)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: answered, never due
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(String(OUTCOME_LENGTH))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BotRateEvent(Base):
    __tablename__ = "bot_rate_event"
    __table_args__ = (Index("ix_bot_rate_event_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_profile.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class BotFlag(Base):
    __tablename__ = "bot_flag"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_profile.id", ondelete="CASCADE"), primary_key=True
    )
    flag: Mapped[str] = mapped_column(String(FLAG_LENGTH), primary_key=True)


class BotGuild(Base):
    __tablename__ = "bot_guild"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    enabled: Mapped[bool] = mapped_column(Boolean)
    locale: Mapped[str] = mapped_column(String(GUILD_LOCALE_LENGTH))
    guide_channel_id: Mapped[int | None] = mapped_column(BigInteger)


class BotState(Base):
    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(STATE_KEY_LENGTH), primary_key=True)
    value: Mapped[str] = mapped_column(AnyText)
