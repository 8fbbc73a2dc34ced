"""What the bot itself says (the coaching's words come from the domain)."""

from __future__ import annotations

from datetime import datetime

FIRST_CONTACT = (
    "I'm an automated coach, not a person or a therapist.\n"
    "I keep a private record of my answers as labels, not your words, so I can notice patterns.\n"
    "See or delete it any time: /settings, /export, /forget."
)
# The history's one-time notice, with the bot's commands instead of the terminal's.
RECORDING_NOTICE = (
    "I keep a private record of these answers (labels, not your words). See it with /history "
    "or /export, delete it with /forget, or turn it off in /settings."
)
EMPTY_DM = (
    "I can only read text. Tell me in a few sentences what happened, what was said, and how it "
    "felt."
)
SOMETHING_WENT_WRONG = (
    "Something went wrong on my side. Nothing you wrote was lost; please try again."
)
STORY_GONE = (
    "I don't have that story anymore: I keep your words only while we talk (or when keep text is "
    "on in /settings). Tell me again, by DM or with /coach, and I'll look at it afresh."
)
NOT_RECORDED = (
    "That answer wasn't recorded (history is off, or it was deleted), so there's nothing to "
    "rate. Thank you anyway."
)
RATED = "Thank you. I'll put what helps you first next time."
DISABLED_HERE = (
    "The admins turned me off in this server. You can still talk to me privately: send me a DM."
)
DMS_CLOSED = (
    "I couldn't send you a direct message, so follow-ups are off for now. To get them, open DMs "
    "for this server (Server menu > Privacy Settings > Direct Messages) and use /settings."
)
CHECK_IN = "How did the conversation go?"
CHECK_IN_THANKS = {
    "went_well": "I'm glad. Noticing what worked makes the next time easier.",
    "still_hard": (
        "Thank you for telling me. Hard conversations often take more than one try; I'm here if "
        "you want to look at it again."
    ),
    "not_yet": (
        "That's okay. When you're ready, I'm here if you want to go over the words again."
    ),
}


def rate_limited(until: datetime, now: datetime) -> str:
    minutes = max(1, round((until - now).total_seconds() / 60))
    return (
        "You've asked for a lot of coaching in a short time, and that's okay: hard days are like "
        f"that. Let's give it a little space; you can ask again in about {minutes} minute"
        f"{'s' if minutes != 1 else ''} (<t:{int(until.timestamp())}:t>). If you're not safe "
        "right now, /resources has people you can reach."
    )
