"""Discord's JSON for the fake's objects, in the shapes the real API and gateway send
(the HTTP ones are checked against the OpenAPI description's response schemas in the fake's
own tests; gateway-only shapes follow discord.py's types and Discord's gateway docs)."""

from __future__ import annotations

from typing import Any

from ._state import (
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    iso,
)

APPLICATION_FLAGS = (1 << 23) | (1 << 19)  # application command badge, message content (limited)


def user(u: FakeUser) -> dict[str, Any]:
    return {
        "id": str(u.id),
        "username": u.name,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "bot": u.bot,
        "public_flags": 0,
        "flags": 0,
        "collectibles": None,
        "primary_guild": None,
    }


def me(u: FakeUser) -> dict[str, Any]:
    """GET /users/@me and READY's `user`: the bot's own account."""
    return {
        **user(u),
        "mfa_enabled": False,
        "locale": u.locale,
        "verified": True,
        "email": None,
        "premium_type": 0,
    }


def application(app_id: int, bot: FakeUser, owner: FakeUser) -> dict[str, Any]:
    return {
        "id": str(app_id),
        "name": bot.name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot": user(bot),
        "owner": user(owner),
        "team": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": APPLICATION_FLAGS,
        "flags_new": str(APPLICATION_FLAGS),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": ["bot", "applications.commands"],
        "tags": [],
        "integration_types_config": {"0": {}, "1": {}},
    }


def role(r: FakeRole) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "name": r.name,
        "description": None,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def member(m: FakeMember, *, with_user: bool = True, permissions: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "roles": [str(r.id) for r in m.roles],
        "joined_at": iso(m.joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        out["user"] = user(m.user)
    if permissions:
        # Interactions carry the member's resolved permissions in the channel.
        out["permissions"] = str(m.permissions)
    return out


def channel(c: FakeChannel, *, bot_id: int | None = None) -> dict[str, Any]:
    last = str(c.messages[-1].id) if c.messages else None
    if c.is_dm:
        assert c.recipient is not None
        return {
            "id": str(c.id),
            "type": 1,
            "last_message_id": last,
            "flags": 0,
            "recipients": [user(c.recipient)],
        }
    assert c.guild is not None
    return {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild.id),
        "name": c.name,
        "position": c.guild.channels.index(c),
        "permission_overwrites": (
            [{"id": str(bot_id), "type": 1, "allow": "0", "deny": str(c.bot_denied)}]
            if c.bot_denied and bot_id is not None
            else []
        ),
        "nsfw": False,
        "topic": None,
        "last_message_id": last,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def guild_create(g: FakeGuild, *, members: list[FakeMember], bot_id: int) -> dict[str, Any]:
    """GUILD_CREATE's full guild (members: what the connection's intents allow)."""
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(g.owner_id),
        "region": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "preferred_locale": g.locale,
        "application_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "features": [],
        "roles": [role(r) for r in [g.everyone, *g.roles]],
        "emojis": [],
        "stickers": [],
        "soundboard_sounds": [],
        "joined_at": iso(min(m.joined_at for m in g.members.values())),
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(g.members),
        "members": [member(m) for m in members],
        "channels": [channel(c, bot_id=bot_id) for c in g.channels],
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "incidents_data": None,
    }


def attachment(a: FakeAttachment) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(a.id),
        "filename": a.filename,
        "size": a.size,
        "url": a.url,
        "proxy_url": a.url,
    }
    if a.content_type:
        out["content_type"] = a.content_type
    if a.description:
        out["description"] = a.description
    return out


def message(
    m: FakeMessage,
    *,
    application_id: int | None = None,
    interaction_metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(m.id),
        "channel_id": str(m.channel.id),
        "type": 0 if m.reference_id is None and interaction_metadata is None else 19,
        "author": user(m.author),
        "content": m.content,
        "timestamp": iso(m.timestamp),
        "edited_timestamp": None if m.edited_timestamp is None else iso(m.edited_timestamp),
        "tts": m.tts,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [attachment(a) for a in m.attachments],
        "embeds": m.embeds,
        "components": m.components,
        "pinned": False,
        "flags": m.flags,
    }
    if interaction_metadata is not None:
        # A command's reply is type 20 (chat input) or 23 (context menu); others are type 0.
        is_command = interaction_metadata.get("type") == 2
        on_target = (
            "target_message_id" in interaction_metadata or "target_user" in interaction_metadata
        )
        out["type"] = (23 if on_target else 20) if is_command else 0
        out["interaction_metadata"] = interaction_metadata
    if m.webhook_id is not None:
        out["webhook_id"] = str(m.webhook_id)
    if application_id is not None:
        out["application_id"] = str(application_id)
    if m.reference_id is not None:
        out["message_reference"] = {
            "type": 0,
            "message_id": str(m.reference_id),
            "channel_id": str(m.channel.id),
        }
    return out
