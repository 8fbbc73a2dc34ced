"""What each rupture pattern sounds like when the *other* person says or does it.

Cues are situations, not the dev set's sentences: each line names a family of replies or
actions ("went back to <any screen>", "you're <any over-reaction word>"). `OTHER` cues count
only where the other person is the one acting or speaking (see `coaching.reading.story.actor_at`);
`SELF` cues are the few patterns that show in what the writer ended up doing ("I ended up
comforting him" is defensiveness on his side). Weights: 0.9 the cue alone is the pattern,
0.6 a strong hint, 0.35 a weak one that needs company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.reading.prefilter import requirement
from coaching.taxonomy import PatternId as P

_POSS = r"(?:his|her|their|my|your|the)"
_SCREEN = (
    r"(?:phone|game|games|show|tv|telly|laptop|computer|screen|switch|playstation|xbox|ps5|"
    r"console|book|work|emails?|texts?|scrolling|instagram|tiktok|reddit|youtube|netflix|series|"
    r"podcast|video|match|football|newspaper|paper|ipad|tablet)"
)
_OVERREACT = (
    r"(?:dramatic|overreacting|over-reacting|over reacting|too sensitive|so sensitive|"
    r"oversensitive|over-sensitive|hysterical|paranoid|crazy|irrational|ridiculous|silly|"
    r"imagining (?:it|things)|making (?:it|this|that|things) up|making (?:something|a big deal) "
    r"(?:out of|of) (?:nothing|it|this)|making a (?:big )?(?:deal|scene|fuss)|blowing (?:it|this|"
    r"that|things|everything) (?:way )?out of proportion|reading (?:too much|into)|overthinking|"
    r"over-thinking|being emotional|so emotional|too emotional|hormonal|being a baby|being petty|"
    r"being extra|being a lot|too much|touchy|thin-skinned|a drama queen|attention-seeking|"
    r"attention seeking|making it about nothing|making mountains)"
)


@dataclass(frozen=True, slots=True)
class Cue:
    pattern: P
    weight: float
    regex: re.Pattern[str]  # MULTILINE: stories are scanned a clause a line
    gate: frozenset[str] | None  # word openings a match needs (coaching.reading.prefilter)


def _cues(pattern: P, weight: float, *regexes: str) -> list[Cue]:
    return [Cue(pattern, weight, re.compile(r, re.MULTILINE), requirement(r)) for r in regexes]


OTHER: tuple[Cue, ...] = tuple(
    _cues(
        P.UNSOLICITED_ADVICE,
        0.9,
        r"\b(?:why don't you|why not just|have you tried|did you try|you could (?:just )?try|"
        r"you (?:should|need to|have to|gotta|got to|ought to|must) (?:just |really |maybe |probably "
        r")?(?:try|get|go|take|start|stop|do|make|see|download|use|keep|stay|pick up|focus|think|"
        r"meditate|exercise|journal|sleep|eat|drink|call|write|read|look into|join|ask (?:for|your)|"
        r"talk to (?:a|someone|your)|find|change|quit|apply|update|push through|power through|"
        r"count|breathe|walk|run|book|put|set|sign up|listen to|be more|work on|cut|limit|schedule))\b",
        r"\b(?:my|some|his|her|their|a bit of|piece of|unsolicited) advice\b|\badvice\b",
        r"\b(?:sent|sends|texted|forwarded|emailed|shared|handed|gave|printed|dropped) (?:me )?(?:a|an|"
        r"some|her|his|their|this|the) (?:\w+ ){0,2}(?:link|article|video|podcast|app|list|plan|"
        r"worksheet|pdf|book|trainer|number|checklist|spreadsheet|ted talk|thread|tips?|course|"
        r"program|routine|schedule|pamphlet|leaflet|brochure|website|self-help)",
        r"\b(?:tips|tricks|hacks|solutions?|steps|a plan|an action plan|a strategy|strategies|"
        r"techniques?|exercises?|pros and cons|to-do list|game plan)\b",
        r"\b(?:told|tells|telling) me (?:to|i should|i need to|i had to|i have to|i ought to) "
        r"(?!(?:get over|move on|let it go|calm down|stop (?:crying|being|overreacting)|relax|"
        r"chill|drop it|hurry)\b)",
        r"\b(?:suggested|suggests|suggesting|recommended|recommends|proposed|advised|advises) "
        r"(?:that )?(?:i|me|we|a|an|some|getting|trying|taking|seeing|going|doing|talking|"
        r"starting|using|keeping)\b",
        r"\b(?:started|jumped|went) (?:straight )?(?:into|to) (?:fix(?:ing)?|solv(?:e|ing)|problem"
        r"[- ]solving|solution|planning|fix-it|advice|a plan|what i should)",
        r"\b(?:tried|trying|wanted|rushed|went) to (?:fix|solve) (?:it|this|me|the problem|"
        r"everything)\b",
        r"\b(?:keep|stay) (?:yourself |your hands |your mind )?(?:busy|active|positive|distracted)\b",
        r"\b(?:just )?(?:don't|do not|try not to) (?:think|worry|dwell|focus) (?:about|on) (?:it|"
        r"that|this)\b",
        r"\bthink positive(?:ly)?\b|\bpositive thinking\b|\bgratitude (?:list|journal)\b",
        r"\b(?:see|get|find|try) (?:a |some )?(?:therapist|therapy|counsel+or|counsel+ing|doctor|"
        r"meds|medication|help|professional)\b",
        r"\b(?:pulled|pulls|pulling|brought|brings|whipped) (?:out|up) (?:a|an|his|her|their|some|"
        r"the) (?:\w+ ){0,2}(?:worksheet|plan|list|app|article|spreadsheet|notebook|calendar|"
        r"budget|chart|diagram|whiteboard)\b",
        r"\b(?:googl|research)(?:ed|ing|es)? (?:\w+ ){0,3}(?:solutions|fixes|tips|treatments|"
        r"options|therapists|courses)\b",
        r"\bhere'?s what (?:you|i would|i'd) (?:do|should|need)\b|\bif i were you\b|"
        r"\byou know what (?:you should|would help|helps)\b|\bwhat (?:you need|helps|helped me) "
        r"is\b|\bthe (?:trick|key|answer|solution) is\b",
    )
    + _cues(
        P.MINIMIZING,
        0.9,
        r"\bat least\b",
        r"\bcould (?:have been|be|'ve been) (?:a lot |so much |much |way )?worse\b",
        r"\b(?:not|isn't|wasn't|it's not|no) (?:such |that |a |that much of a |a huge |that big "
        r"of a |a big )?(?:big )?deal\b|\bno biggie\b",
        r"\bnot the end of the world\b|\bworse things (?:happen|have happened)\b|\bfirst world "
        r"problem",
        r"\b(?:it|that|this)(?:'s| is| was) (?:just|only) (?:a|an|one|some|the|money|work|a job|"
        r"school|stuff|things|hair|a phase|temporary|a bad day|a stressful patch|a rough patch|"
        r"a blip|a scratch|a cold|stress|nerves|hormones)\b",
        r"\b(?:it|that) (?:was|is) (?:so |really |pretty |very )?early\b",
        r"\b(?:happens|happened) to (?:everyone|everybody|all of us|the best of us|lots of people)\b|"
        r"\beveryone (?:goes through|gets|has|feels|deals with) (?:this|that|it)\b",
        r"\b(?:look|looking) on the bright side\b|\bsilver lining\b|\bblessing in disguise\b|"
        r"\beverything happens for a reason\b|\bplenty (?:more )?(?:of )?fish\b",
        r"\b(?:it'll|it will|you'll|you will|things will|it's going to|everything will) (?:all )?"
        r"(?:blow over|be fine|be okay|be ok|work out|pass|sort itself out|get better)\b",
        r"\b(?:not|isn't|wasn't) (?:so|that|too|even that) bad\b|\bis not so bad\b",
        r"\b(?:you|we) (?:can )?(?:still|always) (?:have|go|walk|get|try|find|make)\b",
        r"\bit'?s (?:nothing|not a problem|no problem|not big problem|fine, it's just)\b|"
        r"\bnot (?:a )?big problem\b",
        r"\b(?:brushed|brushes|brushing|shrugged|laughed|waved|played) (?:it|that|this|my \w+) "
        r"(?:off|down|away)\b|\bdownplay(?:ed|s|ing)?\b|\bshrug(?:ged)? it off\b",
        r"\bthere'?s always (?:next|another|more)\b|\btry again\b|\bother (?:jobs|programs|guys|"
        r"girls|people|chances)\b",
        r"\b(?:mountain out of a molehill|sweat the small stuff|small stuff)\b",
        r"\bcould be (?:a lot )?worse\b|\bat least it\b|\bcount your blessings\b|\bbe grateful\b|"
        r"\bbe thankful\b|\bothers have it worse\b|\bpeople have it worse\b",
    )
    + _cues(
        P.INVALIDATION,
        0.9,
        r"\b(?:you're|you are|you were|you've been|stop|quit|you always|you're always|you're "
        r"just|you're being|you get|you're getting|being|was being|i was being|i'm being|i am "
        r"being|i was|i'm|i am) (?:way |so |too |really |just |a bit |a little |kind of |such )?"
        + _OVERREACT,
        r"\b(?:overreact(?:ed|ing|s)?|over-react(?:ed|ing)?|too sensitive|oversensitive|dramatic|"
        r"hysterical|drama queen)\b",
        r"\b(?:that|it) (?:never|didn't) happen(?:ed)?\b|\bthat's not (?:what happened|true|how it "
        r"(?:was|went)|what i said|what i meant)\b|\byou'?re (?:imagining|remembering it wrong|"
        r"misremembering|confused|wrong about)\b|\byou misunderst",
        r"\b(?:everything|we|you|it|all)(?:'s|'re| is| are| was| were| seem| seems| look| looks) "
        r"(?:totally |perfectly |completely |absolutely |totally )?fine\b",
        r"\bwhat (?:are you|is there to be|do you have to be) (?:even )?(?:talking about|upset about|"
        r"sad about|crying about|complaining about)\b|\bwhat'?s (?:there to|the big) (?:be upset|"
        r"deal|problem)\b",
        r"\b(?:you|you're|you are) (?:don't|do not|can't|cannot|shouldn't|should not) (?:really )?"
        r"(?:feel|be (?:upset|sad|hurt|angry|mad)|mean (?:that|it))\b|\bno reason to (?:be|feel) "
        r"(?:upset|sad|hurt|angry|anxious|like that)\b",
        r"\b(?:don't|do not|stop) (?:be(?:ing)?|getting) (?:so )?(?:sad|upset|silly|ridiculous|"
        r"like that|emotional|negative|mad|angry|a baby)\b|\bcalm down\b|\bstop crying\b",
        r"\b(?:all|it's all|its all) in your head\b|\byou're making (?:it|this) (?:up|a thing|"
        r"into something)\b|\bit was (?:just )?a joke\b|\bcan't (?:you )?take a joke\b",
        r"\b(?:take|takes|taking|took) (?:everything|things|it|this) (?:so )?(?:personally|the wrong "
        r"way|wrong|too seriously)\b",
        r"\b(?:rolled|rolls|rolling) (?:his|her|their) eyes\b|\beye[- ]?roll",
        r"\b(?:told|tells|telling) me (?:that )?(?:i|my \w+) (?:was|am|were|is|'m) (?:being )?"
        r"(?:wrong|fine|exaggerating|overreacting|imagining|making|confused|crazy|over)\b",
        r"\b(?:said|says) (?:that )?(?:i|my (?:\w+ )?(?:feelings?|pain|sadness|anxiety|worry)) "
        r"(?:was|am|were|is|'m) (?:being )?(?:fine|exaggerat|overreact|imagin|making|not real|in my "
        r"head|silly|stupid|dumb|irrational|crazy|ridiculous)",
        r"\byou seem (?:fine|ok|okay|totally fine|happy)\b|\byou look (?:fine|ok|okay|great)\b|"
        r"\bnothing(?:'s| is) wrong (?:with you)?\b|\bno one else (?:thinks|feels|minds)\b",
        r"\b(?:exaggerat(?:e|ed|ing)|making a fuss|fussing over nothing|being silly)\b",
        r"\b(?:denied|denies|deny|denying) (?:it|that|(?:it|that|anything) (?:ever )?happened|"
        r"saying)\b|\bacted like i (?:was|made)\b|\bgaslit\b",
    )
    + _cues(
        P.DEFENSIVENESS,
        0.9,
        r"\bso (?:now )?(?:i'm|i am|it's|everything is) (?:the (?:bad guy|villain|problem|worst)|"
        r"my fault|a monster)\b|\bi'?m (?:always )?the (?:bad guy|villain)\b",
        r"\bi (?:can't|cannot|never) do (?:anything|nothing) right\b|\beverything i do is (?:wrong|"
        r"never enough|not enough)\b|\bnothing i do is (?:ever )?(?:good )?enough\b",
        r"\bi'?m (?:a |such a |the )?(?:terrible|horrible|awful|bad|worst|failure of a|useless|"
        r"rubbish|shit|crap|lousy) (?:mother|father|mom|dad|mum|partner|person|friend|husband|wife|"
        r"boyfriend|girlfriend|son|daughter|sister|brother|boss|human)\b|\bi was (?:a )?(?:terrible|"
        r"horrible|awful|bad) (?:mother|father|mom|dad|parent|partner|friend|person)\b",
        r"\b(?:you're|you are|why are you|stop) (?:always )?attacking me\b|\battack(?:ed)? me\b|"
        r"\bcriticiz(?:e|ing) me\b|\bcriticis(?:e|ing) me\b",
        r"\b(?:it's|it is|that's|that is|it wasn't|that wasn't) not my fault\b|\bdon't blame (?:me|"
        r"this on me)\b|\b(?:blamed|blames|blaming) me\b",
        r"\bwhat about (?:you|when you|the time you|all the)\b|\byou do (?:it|that|the same) too\b|"
        r"\byou're (?:one|the one) to talk\b|\blook who's talking\b",
        r"\bi was (?:only|just) trying to help\b|\bi didn't mean (?:it|to)\b|\bthat's not fair\b|"
        r"\bafter (?:everything|all) i (?:do|did|have done|'ve done)\b|\bi do so much\b|\bi work "
        r"(?:so hard|all day) for\b",
        r"\b(?:got|gets|getting|became|went) (?:super |really |so |very |immediately )?defensive\b|"
        r"\bdefend(?:ed|ing|s)? (?:himself|herself|themselves)\b|\bjustif(?:ied|y|ying) "
        r"(?:himself|herself|themselves|it)\b",
        r"\b(?:started|starts|began|begins) (?:to )?(?:cry|crying|sob|sobbing|tearing up|apologi[sz]"
        r"ing (?:profusely|over and over)|beating (?:himself|herself|themselves) up)\b|\bburst into "
        r"tears\b|\bbroke down (?:crying|in tears)\b",
        r"\b(?:turned|turns|turning|flipped|flips|twisted|twists) (?:it|this|the whole thing|"
        r"everything) (?:around|back on me|on me)\b|\bmade (?:it|this|everything) about "
        r"(?:how (?:bad|guilty|awful) (?:he|she|they)|(?:his|her|their) (?:guilt|feelings))\b",
        r"\b(?:listed|lists|listing|reminded me of|rattled off) (?:all )?(?:the )?(?:things|"
        r"everything|stuff) (?:he|she|they) (?:does|did|do|has done)\b",
        r"\bwhy (?:do you|does everyone) (?:always )?(?:make|blame) me\b|\bi guess i'?m just\b|"
        r"\bfine,? i'?m (?:the )?(?:worst|terrible|awful)\b|\bsorry i'?m (?:such a|so)\b|"
        r"\bsorry for (?:existing|breathing|being)\b",
    )
    + _cues(
        P.COMPETING_SUFFERING,
        0.9,
        r"\bi'?m (?:so |really |just |also )?(?:tired|exhausted|stressed|busy|struggling|"
        r"drowning|burnt out|burned out|overwhelmed|sad|anxious|depressed|hurting|dying here|"
        r"barely coping) (?:too|as well)\b|\bme too\b|\bso am i\b|\bi am too\b",
        r"\byou think (?:you've got it|you have it|that's|you're|your \w+ (?:is|was)) (?:bad|hard|"
        r"tough|tired|stressed)\b|\btry (?:being|having|working|doing|living|raising)\b",
        r"\bi (?:had|have|had it|have it|had things) (?:it )?(?:way |so much |much |far )?"
        r"(?:worse|harder)\b|\bwhen i was your age\b|\bin my day\b",
        r"\byou (?:don't|do not) (?:even )?know what (?:hard|tired|stress|pain|struggle|real "
        r"\w+|loss|grief|exhaust\w*) (?:is|means|feels like)\b",
        r"\bi'?ve had (?:a|an) (?:worse|harder|awful|terrible|long|rough|crazy) (?:day|week|month|"
        r"year|time)\b|\bmy (?:day|week|job|boss|life) (?:was|is) (?:worse|harder|way worse)\b",
        r"\b(?:started|starts|began|went on|launched) (?:talking|complaining|ranting|going on) "
        r"about (?:his|her|their|how (?:he|she|they))\b|\b(?:turned|steered|moved|shifted|"
        r"brought) (?:the conversation|it|things|the topic) (?:back )?(?:to|around to|onto) "
        r"(?:his|her|their|him|her|them|how)\b",
        r"\bmade (?:it|this|everything) about (?:him|her|them|himself|herself|themselves|his own|"
        r"her own|their own)\b|\b(?:one-up|one up|one-upped|one upped|topped|outdid|trumped) "
        r"(?:me|it|my)\b|\bcompar(?:ed|ing|es|e) (?:it|my|that|this|me) (?:to|with)\b",
        r"\bwhat about (?:me|my (?:day|feelings|stress|problems))\b|\byou think (?:i'?m|i am|i'?m not|i am not|i'?ve|i have|i don't|i didn't) (?:not )?(?:\w+ )?(?:tired|exhausted|stressed|busy|struggling|hurting|sad|having|had|got|been|a picnic|easy|fun)\b|"
        r"\b(?:the )?story (?:of|about) (?:when|how|the time) (?:he|she|they|his|her|their)\b|"
        r"\b(?:was|is|were) (?:so much |way |even )?worse for (?:him|her|them)\b|\b(?:were|was) (?:all )?"
        r"about (?:him|her|them|himself|herself|themselves)\b|\bi'?ve been through "
        r"(?:worse|way worse|much worse|more)\b|\bimagine how i feel\b|\bhow do you think i feel\b",
        r"\b(?:i|we) (?:had|raised|worked|went through|lost|survived) .{0,60}\b(?:with no help|"
        r"and nobody|and no one|alone|without complaining|and i didn't complain|and i never)\b",
        r"\b(?:his|her|their) own (?:problems|day|stress|breakup|divorce|job|issues|story|drama|"
        r"bad week|worse)\b",
    )
    + _cues(
        P.IMPATIENCE,
        0.9,
        r"\bare (?:you|we) (?:almost |nearly |about |still |done |finished )*(?:done|finished|"
        r"through|on this|doing this|talking about this|still on|going to be long|ever going to)\b",
        r"\bget over (?:it|this|that|him|her|yourself)\b|\bmove on\b|\blet it go\b|\bdrop it\b|"
        r"\bgive it a rest\b|\benough (?:already|of this|now)\b|\bsnap out of it\b",
        r"\bcan (?:we|you) (?:please |just )?(?:not|stop|drop|skip|move past|get past|leave it|"
        r"talk about something else|do this (?:later|another time)|wrap (?:this|it) up)\b|"
        r"\bnot (?:now|this again|right now|tonight|again)\b",
        r"\b(?:hurry|wrap (?:it|this)) up\b|\bshort version\b|\bget to the point\b|\bhow long "
        r"(?:is this|are you|will this|do i have to)\b|\bstill\s*\?|\bagain\s*\?|\bseriously\s*\?",
        r"\b(?:it's|it has|it's been|its been) been (?:months|weeks|a year|years|two years|ages|"
        r"long enough)\b|\bit'?s been (?:months|weeks|a year|years|two years|ages|long enough|"
        r"\d+ (?:months|weeks|years|yrs))\b|\bhow long (?:are you going to|will you) (?:be|keep)\b",
        r"\b(?:you're|you are) still (?:upset|sad|on|talking|going|crying|thinking|hung up|"
        r"dwelling)\b|\bstill (?:going on|hung up|dwelling) about\b|\bwe'?ve (?:already )?(?:been "
        r"over|talked about|discussed) (?:this|that|it)\b",
        r"\bi (?:don't|do not) have (?:time|the energy) for (?:this|that)\b|\bcan't (?:do|deal "
        r"with) this (?:right )?now\b",
        r"\b(?:glanc|check|look)(?:ed|ing|s)? (?:at )?(?:his|her|their|the) (?:watch|clock|time)\b|"
        r"\b(?:kept|keeps) (?:checking|looking at) the (?:time|clock)\b|\b(?:tapped|tapping|"
        r"drummed|drumming) (?:his|her|their) (?:foot|fingers)\b",
        r"\b(?:cut|cuts|cutting) me off\b|\binterrupted\b|\binterrupts me\b|\bcut in\b|\bhurried "
        r"me\b|\brushed me\b|\brushing me\b|\bmove (?:things|it|this) along\b|\bspeed (?:it|this) "
        r"up\b|\bjust (?:the )?(?:highlights|gist|bottom line)\b",
    )
    + _cues(
        P.DISENGAGEMENT,
        0.9,
        r"\b(?:went|goes|going|turned|turns|got|gets) (?:straight |right |immediately |just )?back "
        r"(?:to|on|into) (?:" + _POSS + r" )?(?:\w+ )?" + _SCREEN + r"\b",
        r"\b(?:kept|keeps|keep|started|starts|was|is|continued|continues) (?:on )?(?:scrolling|"
        r"texting|typing|playing|watching|gaming|reading|working|looking at "
        + _POSS
        + r" "
        + _SCREEN
        + r"|on "
        + _POSS
        + r" "
        + _SCREEN
        + r")\b",
        r"\b(?:didn't|did not|doesn't|does not|never|wouldn't|won't) (?:even )?(?:look up|look at me|"
        r"respond|reply|answer|react|say (?:anything|a word|a thing|much)|ask (?:how|what|about|if)|"
        r"bring (?:it|that) up|follow up|check (?:in|on me)|text back|call back|acknowledge|"
        r"mention (?:it|that))\b",
        r"\b(?:changed|changes|changing|switched|switches) (?:the )?(?:subject|topic)\b|\btalk(?:ed)? "
        r"about something else\b|\b(?:started|starts) talking about (?:dinner|the weather|work|"
        r"something else|plans|the game|what to eat)\b",
        r"\b(?:walked|walks|walking|stormed|stalked|wandered) (?:off|out|away)\b|\b(?:left|leaves|"
        r"leaving) the (?:room|house|table|conversation|call|chat|kitchen)\b|\b(?:went|goes|"
        r"headed|heads) (?:to (?:bed|sleep|the other room|another room|the garage|his room|her "
        r"room|their room|work|the gym)|upstairs|downstairs|outside)\b|\bgot up and left\b",
        r"\b(?:turned|turns) (?:on|up) the (?:tv|music|volume|telly)\b|\bput (?:his|her|their) "
        r"(?:headphones|earbuds|airpods) (?:on|in)\b|\b(?:headphones|earbuds|airpods) (?:on|in)\b",
        r"\bblank (?:stare|look|face|expression)\b|\bstared (?:at|past) (?:the|his|her|their|me)\b|"
        r"\bzoned out\b|\btuned (?:out|me out)\b|\bhalf[- ]listen",
        r"\b(?:silence|silent|stonewall(?:ed|ing)?|radio silence|the silent treatment|went quiet|"
        r"said nothing|didn't say anything|no response|no reply|no answer|crickets|left me on "
        r"read|left on read|ghosted|seen at \d)\b",
        r"\b(?:ignored|ignores|ignoring) (?:me|it|that|my|what i)\b|\bhung up\b|\b(?:last|all) (?:i|we) "
        r"(?:heard|got) (?:from|out of) (?:him|her|them)\b|\bhasn't (?:called|"
        r"texted|messaged|asked|brought it up|said|mentioned)\b",
        r"\b(?:shrugged|shrugs|nodded|nods|grunted|grunts|mumbled|mumbles)\b",
        r"\b(?:said|replied|answered|texted|wrote|responded|goes|went)(?: back)? (?:with )?"
        r"\"?(?:ok|okay|k|kk|cool|hm+|mhm|sure|yeah|yep|fine|noted|right|wow|oh|huh|lol ok|ok "
        r"and)\b[\"!.]*(?:$| and| then|,)",
        r"\b(?:looking|looked|staring|stared|glued) (?:at|to) " + _POSS + r" " + _SCREEN + r"\b|"
        r"\bon " + _POSS + r" " + _SCREEN + r" the whole time\b|\bbehind " + _POSS + r" " + _SCREEN,
        r"\b(?:fell|falls|fall) asleep\b|\bwent to sleep\b|\brolled over\b|\bturned (?:away|"
        r"(?:his|her|their) back)\b|\bpulled away\b|\bchecked out\b",
        r"\b(?:asked|asks) (?:me )?(?:if|whether|what|about) (?:i'd|i had|we|i|there's|dinner|the)"
        r".{0,40}\b(?:laundry|dinner|groceries|eat|car|bins|trash|dishes|plans|weekend|game|"
        r"score|kids|tomorrow)\b",
        r"\bcouldn't (?:even )?be bothered\b|\bdidn't (?:seem to )?care\b|\bwasn't (?:really )?"
        r"listening\b|\bnot (?:really )?listening\b|\bmid-sentence\b",
    )
    + _cues(
        P.MISTIMED_HUMOR,
        0.9,
        r"\b(?:laughed|laughs|laughing|laugh|burst out laughing|cracked up|cracks up|chuckled|"
        r"chuckles|chuckling|giggled|giggles|giggling|snickered|snorted|smirked|smirks|smirking|"
        r"guffawed|cackled)\b",
        r"\b(?:made|makes|making|cracked|cracks|cracking|told|tells) (?:a |some |another |this )?"
        r"(?:\w+ )?(?:jokes?|joke about|crack|pun|quip|wisecrack)\b|\b(?:joked|jokes|joking|kidding|"
        r"teased|teases|teasing|mocked|mocks|mocking|made fun|making fun|makes fun)\b",
        r"\b(?:turns|turned|turning|made|makes|making) (?:it|everything|that|this|my \w+) into "
        r"(?:a (?:bit|joke|punchline|meme|gag|skit|laugh)|jokes?|comedy)\b",
        r"\b(?:sent|sends|posted|replied with|responded with) (?:a |an |some )?(?:meme|gif|"
        r"sticker|funny|laughing|crying[- ]laughing)\b|\bmemes?\b",
        r"\b(?:sarcastic(?:ally)?|sarcasm|funny voice|silly voice|impression of me|mimicked|"
        r"mimicking|imitated|imitating)\b|\bokay,? shakespeare\b|\bcalm down,? (?:drama|princess)\b",
        r"\b(?:found|finds|thought) (?:it|this|that|me) (?:so )?(?:funny|hilarious|amusing|cute)\b|"
        r"\bcute when you'?re\b|\bthat'?s (?:so )?(?:funny|hilarious)\b",
    )
    + _cues(
        P.HOLLOW_AFFECTION,
        0.9,
        r"\b(?:bought|buys|buying|got|gets|brought|brings|gave|gives|sent|sends|ordered|orders|"
        r"surprised) (?:me|us) (?:with )?(?:a |an |some |new |the |these |those )?(?:\w+ ){0,2}"
        r"(?:flowers|roses|bouquet|gifts?|presents?|chocolates?|jewel(?:le)?ry|necklace|bracelet|something|stuff|things|giftcard|"
        r"earrings|ring|perfume|handbag|bag|dress|shoes|spa day|massage|cake|dessert|takeout|"
        r"takeaway|dinner|tickets|vacation|holiday|trip|weekend|getaway|puppy|card|teddy|plushie|"
        r"candles|wine|treat|voucher|gift card|money|cash)\b",
        r"\b(?:took|takes|taking) (?:me|us) (?:out|away|on a (?:trip|date|holiday|vacation|"
        r"weekend)|to (?:dinner|a (?:nice|fancy)|the (?:spa|beach|movies)|brunch|lunch))\b",
        r"\b(?:booked|books|booking|planned|plans|planning|organi[sz]ed|arranged) (?:us |me )?"
        r"(?:a |an |this |some )?(?:\w+ ){0,2}(?:dinner|date|date night|trip|weekend|getaway|"
        r"holiday|vacation|spa|massage|table|reservation|surprise|party|staycation|cruise)\b",
        r"\b(?:sent|sends|transferred|venmoed|paypaled|wired|gave|gives) (?:me )?(?:some |a bit of "
        r"|the )?(?:money|cash|\$\d+|£\d+|€\d+|\d+ (?:dollars|pounds|euros)|a check|a cheque)\b",
        r"\b(?:hugged|hugs|hugging|kissed|kisses|kissing|cuddled|cuddles|patted|pats|squeezed|"
        r"held|holds|rubbed|stroked|pulled me into a hug|gave me a hug|gave me a kiss)\b.{0,60}"
        r"\b(?:and (?:then )?(?:changed|went|turned|moved|said|asked|left|started)|but (?:never|"
        r"didn't|did not|wouldn't|won't)|instead|without (?:saying|talking|asking)|and that was it|"
        r"and that was that)\b",
        r"\b(?:compliment(?:ed|s|ing)?|flatter(?:ed|y|ing)?|told me i (?:looked|look|was|am) "
        r"(?:beautiful|gorgeous|pretty|hot|amazing|great|cute|handsome|stunning))\b",
        r"\b(?:as if|like) (?:it|that|the \w+|a \w+|flowers|a gift|money|sex|a hug) (?:fixed|"
        r"fixes|solved|solves|made up for|answered|erased|would fix|would make up for)\b|\bthe "
        r"answer to that\b|\bmake (?:it )?up (?:to me|for it) with\b",
        r"\b(?:instead of|rather than) (?:talking|listening|asking|a conversation|an apology|"
        r"apologi[sz]ing|discussing|dealing|addressing)\b",
        r"\bnever (?:once )?(?:talked|spoke|brought (?:it|that) up|mentioned|addressed|asked about) "
        r"(?:about )?(?:it|that|what i said|what happened|the \w+)\b",
        r"\b(?:cooked|made|makes|cooks|ordered) (?:me |us )?(?:my |our )?(?:favou?rite|a (?:special|romantic|nice|fancy|big)) "
        r"(?:dinner|meal|breakfast|dessert|food|cake)\b|\bcandles\b|\bgift ?cards?\b|"
        r"\$\d+ (?:on|in|to|into) my (?:venmo|paypal|account|cash ?app|bank)\b|\b(?:venmo|paypal|cash ?app|e-?transfer)(?:ed)?\b",
        r"\bwants? (?:to have )?sex\b|\bwanted (?:to have )?sex\b|\bsex (?:fixes|instead|as)\b",
    )
    + _cues(
        P.BURDEN_SHIFTING,
        0.9,
        r"\bjust ask(?: me)?\b|\b(?:you|u) (?:have|need|got|gotta|could|should|can) (?:to )?(?:just )?"
        r"(?:ask|tell|remind|text|let) me\b|\bask (?:me )?(?:for help|and i'll)\b",
        r"\btell me (?:exactly |just )?(?:what (?:you want|to do|i should|you need|i'm supposed|i "
        r"need|to say)|how (?:to|i should|you want)|when you need)\b|\bwhat do you want me to "
        r"(?:do|say)\b|\bwhat am i supposed to (?:do|say)\b",
        r"\b(?:send|give|make|write|text|email) me a (?:list|schedule|script|spreadsheet|rota|"
        r"chart|plan|reminder|checklist)\b|\bwrite me a script\b|\bput it (?:on|in) the "
        r"(?:calendar|list|app)\b",
        r"\b(?:text|call|message|ping) me (?:when|if|whenever) you need\b|\blet me know (?:what|when|"
        r"if|how) (?:you need|you want|i can|to)\b|\bif you need (?:help|something|anything|me "
        r"to),? (?:just )?(?:ask|tell|say)\b",
        r"\bi(?:'m| am) not a mind[- ]?reader\b|\bi can'?t read your mind\b|\bhow (?:am|was|were) "
        r"(?:i|we) supposed to know\b|\byou never (?:told|asked) me\b|\byou should have (?:told|"
        r"asked|said)\b|\bwhy didn't you (?:just )?(?:ask|tell|say)\b",
        r"\b(?:you're|you are|it's|its) (?:the one|your job|up to you) (?:to|who)\b|\bup to you to\b|"
        r"\byour job to\b|\bthat'?s on you\b|\byou (?:have|need) to tell me\b",
        r"\b(?:handed|hands|handing|gave|gives|giving|put|puts|putting|pushed|pushes|pushing|"
        r"shifted|shifts|threw|throws) (?:it|the (?:\w+ )?(?:job|work|problem|task|fixing|"
        r"planning|decision)|that|everything) back (?:to|on|onto) me\b",
        r"\bdelegat(?:e|ed|ing)\b|\bi(?:'ll| will) do (?:it|whatever) if you (?:tell|ask|remind)\b",
    )
)

# Laughter written into a reply ("lol ok", an emoji) is theirs only inside their quoted words;
# in the writer's own narration it is the writer's tone.
QUOTED: tuple[Cue, ...] = tuple(
    _cues(
        P.MISTIMED_HUMOR,
        0.9,
        r"\b(?:lol|lmao|lmfao|rofl|haha+|hehe+|ha ha|xd)\b|[\U0001F602\U0001F923\U0001F480\U0001F606"
        r"\U0001F605\U0001F639]",
    )
)

# Across the whole story, whoever's clause they fall in: one act that replaced another.
STORY: tuple[Cue, ...] = tuple(
    _cues(
        P.HOLLOW_AFFECTION,
        0.75,
        r"\b(?:hug|hugged|kissed|cuddled|flowers|gift|present|dinner|trip|weekend away|"
        r"bought|compliment\w*)\b.{0,160}\b(?:(?:went|goes|turned) back to|changed the subject|never "
        r"(?:talked|brought|mentioned|asked)|when i tried to (?:talk|bring)|didn't want to talk|"
        r"wouldn't talk|we never (?:actually )?talk(?:ed)?)\b",
        r"\bevery (?:fight|argument|time we fight) (?:ends|ended) (?:with|in) (?:him|her|them|a) "
        r"(?:buying|getting|bringing|gift|present|flowers|dinner)\b",
    )
)

# A weaker reading of the same families, for hedged or reported wording.
OTHER_WEAK: tuple[Cue, ...] = tuple(
    _cues(
        P.UNSOLICITED_ADVICE,
        0.5,
        r"\b(?:you should|you need to|you have to|just try|try to|maybe try|you could)\b",
        r"\b(?:fix|fixing|solve|solving|solution|lecture|lectured|lecturing|explained how)\b",
    )
    + _cues(
        P.MINIMIZING,
        0.5,
        r"\b(?:only|just|barely|not even|no one died|nobody died|it happens)\b.{0,20}\b(?:a|one|few|"
        r"little|small|minor|weeks?|days?|money)\b",
        r"\b(?:it's fine|it's ok|it's okay|you're fine|you'll be fine|don't worry)\b",
    )
    + _cues(
        P.INVALIDATION,
        0.5,
        r"\b(?:that's not|you're not|you aren't|not true|you don't|nonsense|ridiculous|silly|"
        r"dismissed|dismisses|dismissive|dismissing)\b",
    )
    + _cues(
        P.DEFENSIVENESS,
        0.5,
        r"\b(?:sorry|apologi[sz]ed)\b.{0,30}\b(?:but|again|over and over|i'm|such)\b",
        r"\b(?:excuses?|argued back|snapped|snaps|got angry|got mad|got upset|yelled)\b",
    )
    + _cues(
        P.COMPETING_SUFFERING,
        0.5,
        r"\b(?:i'm|i am|i've been|i was) (?:so |really )?(?:tired|exhausted|stressed|busy|"
        r"struggling|overwhelmed)\b",
        r"\b(?:his|her|their) (?:day|week|job|boss|problems|stress|pain)\b",
    )
    + _cues(
        P.IMPATIENCE,
        0.5,
        r"\b(?:sighed|sighs|sighing|huffed|groaned|annoyed|impatient|irritated|exasperated)\b",
        r"\b(?:already|again|enough|later|busy|in a hurry|quickly)\b",
    )
    + _cues(
        P.DISENGAGEMENT,
        0.5,
        r"\b" + _SCREEN + r"\b",
        r"\b(?:left|leaves|walked|distracted|busy|quiet|nothing|away|elsewhere|bored)\b",
    )
    + _cues(
        P.MISTIMED_HUMOR,
        0.5,
        r"\b(?:funny|joke|jokes|humou?r|smiled|grinned|grin|amused|cute)\b",
    )
    + _cues(
        P.HOLLOW_AFFECTION,
        0.5,
        r"\b(?:flowers|gift|present|dinner|trip|date|hug|hugged|kissed|chocolate|surprise|"
        r"compliment|bought|treat|spoil|spoiled)\b",
    )
    + _cues(
        P.BURDEN_SHIFTING,
        0.5,
        r"\b(?:ask me|tell me|remind me|let me know|list|your responsibility|on you)\b",
    )
)

# What the writer ended up doing, that shows the other side's pattern.
SELF: tuple[Cue, ...] = tuple(
    _cues(
        P.DEFENSIVENESS,
        0.85,
        r"\b(?:ended up|end up|had to|spent .{0,20}|was left|wound up|found myself|always end "
        r"up|spend .{0,20}) (?:comforting|reassuring|consoling|apologi[sz]ing|calming (?:him|her|"
        r"them) down|making (?:him|her|them) feel better|defending myself|taking care of (?:him|"
        r"her|them)|saying sorry)\b",
        r"\bi (?:was|am) the one (?:comforting|apologi[sz]ing|reassuring|saying sorry)\b|\bmy "
        r"(?:problem|hurt|pain|issue) (?:was|is|got) (?:forgotten|lost|buried)\b|\b(?:now|then) "
        r"i'?m (?:the one )?(?:comforting|reassuring|apologi[sz]ing)\b",
        r"\bsomehow (?:i|my \w+) (?:was|became|ended up|turned into)\b",
    )
    + _cues(
        P.BURDEN_SHIFTING,
        0.6,
        r"\bi (?:have|had|always have|always had|need|needed) to (?:ask|remind|tell|spell|list|"
        r"manage|plan|organi[sz]e|delegate|explain)\b",
        r"\bmanag(?:e|ing) the manager\b|\bmental load\b|\bthe one who (?:notices|remembers|plans|"
        r"organi[sz]es|keeps track)\b|\bshouldn't have to (?:ask|tell|remind|spell)\b",
    )
    + _cues(
        P.HOLLOW_AFFECTION,
        0.6,
        r"\b(?:feel|felt) (?:bought|bribed|paid off|patted on the head|placated|handled)\b|\bgot "
        r"replaced by\b|\bpapering over\b|\bnot a (?:gift|present|trip|dinner|holiday)\b",
    )
    + _cues(
        P.IMPATIENCE,
        0.6,
        r"\b(?:felt|feel) (?:rushed|hurried|like (?:a|i was on a) (?:timer|clock|deadline))\b|"
        r"\blike a timer\b|\bon a clock\b|\bi gave (?:him|her|them) the short version\b",
    )
    + _cues(
        P.DISENGAGEMENT,
        0.55,
        r"\b(?:could hear|heard|saw) (?:him|her|them) (?:typing|scrolling|texting|playing|on "
        r"(?:his|her|their) phone)\b|\btalking to a wall\b|\blike (?:he|she|they) (?:wasn't|weren't)"
        r" (?:even )?(?:there|listening)\b",
    )
    + _cues(
        P.COMPETING_SUFFERING,
        0.6,
        r"\bnot a comparison\b|\b(?:became|turned into|was) a competition\b|\bwho has it worse\b|"
        r"\bsuffering olympics\b",
    )
    + _cues(
        P.UNSOLICITED_ADVICE,
        0.6,
        r"\b(?:wasn't|was not|am not|i'm not|wasnt) asking for (?:a fix|advice|solutions|a solution|"
        r"tips|help fixing)\b|\bdidn't (?:ask|want) (?:for )?(?:advice|a fix|solutions|tips)\b|"
        r"\bhanded me homework\b|\bhomework instead\b",
    )
    + _cues(
        P.MINIMIZING,
        0.5,
        r"\b(?:felt|feel) (?:small|like it didn't count|like it doesn't count|like (?:my|it) "
        r"(?:grief|pain|loss) (?:didn't|doesn't) (?:count|matter))\b",
    )
    + _cues(
        P.INVALIDATION,
        0.5,
        r"\b(?:felt|feel) (?:crazy|like i was crazy|gaslit|like i imagined it)\b|\bnot real for "
        r"(?:him|her|them)\b",
    )
)
