"""Buttons. The ones on answers and check-ins are persistent (`DynamicItem`: the state is in the
`custom_id`, so they keep working after a restart); the confirmations are ordinary views that
only the person who asked can press."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot import texts
from bot.failures import Reporting, tell_failure
from bot.memory import Remembered
from bot.ports import OUTCOMES, Outcome
from bot.render import render_answer, render_why
from bot.sending import is_private, say, send_all, to_followup
from coaching.history.records import Rating
from coaching.taxonomy import Style

if TYPE_CHECKING:
    from bot.client import CoachBot

Action = Literal["soft", "direct", "helped", "notquite", "why"]
_LABELS: dict[Action, tuple[str, discord.ButtonStyle]] = {
    "soft": ("Softer", discord.ButtonStyle.secondary),
    "direct": ("More direct", discord.ButtonStyle.secondary),
    "helped": ("This helped", discord.ButtonStyle.success),
    "notquite": ("Not quite", discord.ButtonStyle.secondary),
    "why": ("Why this?", discord.ButtonStyle.secondary),
}
_STYLE_OF: dict[str, Style] = {"soft": Style.GENTLE, "direct": Style.DIRECT}
_RATING_OF: dict[str, Rating] = {"helped": "helped", "notquite": "not_quite"}
_CHECK_IN_LABELS: dict[Outcome, str] = {
    "went_well": "It went well",
    "still_hard": "Still hard",
    "not_yet": "Didn't talk yet",
}


def _bot(interaction: discord.Interaction) -> CoachBot:
    return interaction.client  # type: ignore[return-value]


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rc:(?P<action>soft|direct|helped|notquite|why):(?P<token>[0-9a-f]{32})",
):
    def __init__(self, action: Action, token: str) -> None:
        label, style = _LABELS[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"rc:{action}:{token}")
        )
        self.action: Action = action
        self.token = token

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        return cls(match["action"], match["token"])  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._act(interaction)
        except Exception as error:
            await tell_failure(interaction, f"the {self.action} button", error)

    async def _act(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        send = to_followup(interaction, ephemeral=True)
        user_id = interaction.user.id
        if self.action in _RATING_OF:
            recorded = await bot.deps.history.feedback(
                str(user_id), self.token, _RATING_OF[self.action], None
            )
            await say(send, texts.RATED if recorded else texts.NOT_RECORDED)
            return
        remembered = bot.deps.memory.get(user_id, self.token) or await _kept(
            bot, user_id, self.token
        )
        if remembered is None:
            await say(send, texts.STORY_GONE)
            return
        if self.action == "why":
            await send_all(send, render_why(remembered.answer))
            return
        style = _STYLE_OF[self.action]
        answer = remembered.answer
        # A recurring pattern's phrasing leads (one more phrasing than styles) and keeps its
        # place: the renderer labels the first of four as the pattern-level one.
        lead = answer.phrasings[:1] if len(answer.phrasings) > len(Style) else []
        moment = answer.phrasings[len(lead) :]
        first = [p for p in moment if p.style is style]
        rest = [p for p in moment if p.style is not style]
        reordered = answer.model_copy(update={"phrasings": lead + first + rest, "notice": ""})
        await bot.deps.history.feedback(str(user_id), self.token, None, style)
        await send_all(send, render_answer(reordered))


async def _kept(bot: CoachBot, user_id: int, token: str) -> Remembered | None:
    """After a restart: the story from the history, when the person keeps text; coached again
    (without recording) so the buttons work on a fresh answer."""
    export = await bot.deps.history.export(str(user_id))
    story = next((r.story for r in export.reports if r.report_id == token and r.story), None)
    if story is None:
        return None
    answer = await bot.deps.service.coach(str(user_id), story, record=False)
    answer = answer.model_copy(update={"report_id": token})
    bot.deps.memory.put(user_id, token, answer, story)
    return Remembered(answer, story)


def answer_view(token: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in _LABELS:
        view.add_item(AnswerButton(action, token))
    return view


class CheckInButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rc:ci:(?P<outcome>went_well|still_hard|not_yet):(?P<token>[0-9a-f]{32})",
):
    def __init__(self, outcome: Outcome, token: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=_CHECK_IN_LABELS[outcome],
                style=discord.ButtonStyle.secondary,
                custom_id=f"rc:ci:{outcome}:{token}",
            )
        )
        self.outcome: Outcome = outcome
        self.token = token

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CheckInButton:
        return cls(match["outcome"], match["token"])  # type: ignore[arg-type]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._act(interaction)
        except Exception as error:
            await tell_failure(interaction, "a check-in button", error)

    async def _act(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        recorded = await bot.deps.store.answer(interaction.user.id, self.token, self.outcome)
        text = texts.CHECK_IN_THANKS[self.outcome] if recorded else texts.NOT_RECORDED
        await say(to_followup(interaction, ephemeral=True), text)


def check_in_view(report_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for outcome in OUTCOMES:
        view.add_item(CheckInButton(outcome, report_id))
    return view


class OwnerOnly(Reporting, discord.ui.View):
    """A view only the person who opened it can use (confirmations, pages)."""

    def __init__(self, owner_id: int, timeout: float = 600) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can use these buttons.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        return False


class ForgetConfirm(OwnerOnly):
    @discord.ui.button(label="Delete everything", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirm]
    ) -> None:
        bot = _bot(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await bot.deps.history.forget(str(self.owner_id))
        bot.deps.memory.forget(self.owner_id)
        dms = bot.get_cog("DirectMessages")
        if dms is not None:
            dms.forget(self.owner_id)  # type: ignore[attr-defined]
        self.stop()
        await say(
            to_followup(interaction, ephemeral=True),
            "Done: everything I stored about you is deleted.",
        )

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[ForgetConfirm]
    ) -> None:
        self.stop()
        await interaction.response.send_message(
            "Nothing was deleted.", ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


class Pages(OwnerOnly):
    """Previous/next through embeds, editing the message in place."""

    def __init__(self, owner_id: int, pages: list[discord.Embed]) -> None:
        super().__init__(owner_id)
        self.pages = pages
        self.at = 0

    async def _show(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(embed=self.pages[self.at], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, button: discord.ui.Button[Pages]
    ) -> None:
        self.at = (self.at - 1) % len(self.pages)
        await self._show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(
        self, interaction: discord.Interaction, button: discord.ui.Button[Pages]
    ) -> None:
        self.at = (self.at + 1) % len(self.pages)
        await self._show(interaction)


__all__ = [
    "AnswerButton",
    "CheckInButton",
    "ForgetConfirm",
    "Pages",
    "answer_view",
    "check_in_view",
    "is_private",
]
